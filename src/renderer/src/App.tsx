import { useState } from 'react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from 'react-router'
import { useLiveUpdates } from './api/live'
import type { ApiFailure } from './api/failure'
import { createRouter } from './app/router'

// Providers: the query cache (kept fresh by push events, not by polling) and the router.

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (n, e) => n < 2 && (e as ApiFailure).code === 'network',
      },
    },
  })
}

function Live({ qc }: { qc: QueryClient }) {
  useLiveUpdates(qc)
  return null
}

export function App() {
  const [qc] = useState(makeQueryClient)
  const [router] = useState(createRouter)
  return (
    <QueryClientProvider client={qc}>
      <Live qc={qc} />
      <RouterProvider router={router} />
    </QueryClientProvider>
  )
}

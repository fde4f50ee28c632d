import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type UseQueryOptions } from '@tanstack/react-query'
import { transport } from './client'
import { domainOf } from './domains'
import type { ApiFailure } from './failure'
import type { OpIn, OpName, OpOut } from './types'

// React bindings of the typed client: reads are cached by [domain, op, input] so push events can
// invalidate whole domains; writes are mutations that refresh what they changed.

export function opKey<N extends OpName>(name: N, input?: OpIn<N>): readonly unknown[] {
  return [domainOf(name), name, input ?? {}]
}

type ReadOptions<N extends OpName> = Omit<UseQueryOptions<OpOut<N>, ApiFailure>, 'queryKey' | 'queryFn'> & {
  /** Keep showing the previous rows while a new filter loads (lists). */
  keepPrevious?: boolean
}

export function useOp<N extends OpName>(name: N, input?: OpIn<N>, options: ReadOptions<N> = {}) {
  const { keepPrevious, ...rest } = options
  return useQuery<OpOut<N>, ApiFailure>({
    queryKey: opKey(name, input),
    queryFn: () => transport.call(name, input),
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    ...rest,
  })
}

export function useOpMutation<N extends OpName>(name: N, opts: { onSuccess?: (data: OpOut<N>, input: OpIn<N>) => void } = {}) {
  const qc = useQueryClient()
  return useMutation<OpOut<N>, ApiFailure, OpIn<N>>({
    mutationFn: (input) => transport.call(name, input),
    onSuccess: (data, input) => {
      // The push event will follow, but refresh the domain now so the admin sees the change at once.
      void qc.invalidateQueries({ queryKey: [domainOf(name)] })
      opts.onSuccess?.(data, input)
    },
  })
}

/** A list read in pages (offset/limit) for long virtualised lists: load more as the admin scrolls. */
export function useOpPages<N extends OpName>(name: N, input: OpIn<N>, pageSize = 200) {
  const q = useInfiniteQuery<OpOut<N>, ApiFailure, InfiniteData<OpOut<N>>, readonly unknown[], number>({
    queryKey: [...opKey(name, input), 'pages', pageSize],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => {
      const i = input as { query?: Record<string, unknown> }
      return transport.call(name, { ...i, query: { ...(i.query ?? {}), limit: pageSize, offset: pageParam } } as unknown as OpIn<N>)
    },
    getNextPageParam: (last, pages) => {
      const l = last as unknown as { items: unknown[]; total: number }
      const loaded = pages.reduce((n, p) => n + (p as unknown as { items: unknown[] }).items.length, 0)
      return l.items.length === pageSize && loaded < l.total ? loaded : undefined
    },
    placeholderData: keepPreviousData,
  })
  const pages = (q.data?.pages ?? []) as unknown as { items: unknown[]; total: number }[]
  const items = pages.flatMap((p) => p.items) as OpOut<N> extends { items: (infer R)[] } ? R[] : never
  const total = pages.length ? pages[pages.length - 1].total : 0
  return { ...q, items, total }
}

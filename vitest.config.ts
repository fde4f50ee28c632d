import { defineConfig } from 'vitest/config'
import { resolve } from 'node:path'

const alias = { '@shared': resolve(__dirname, 'src/shared') }
// Tests run the TypeScript sources, but a worker thread needs JavaScript: the projection
// thread comes from the build (`npm test` builds first).
const env = { KANADE_PROJECTION_THREAD: resolve(__dirname, 'out/main/projection-thread.js') }

// Three projects: fast pure tests, integration tests against a real nats-server,
// and browser end-to-end tests (Chromium through `serve`). All run with `npm test`.
export default defineConfig({
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', env } },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})

import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/db'
import { startServe } from '../../helpers/serve'

function natsServerPids(storeDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', storeDir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
  } catch {
    return []
  }
}

describe('kanade-console serve', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'starts an embedded broker, answers /health and /api/jetstream/status, and %s stops both with exit 0',
    async (signal) => {
      const data = tempDir('kc-serve-')
      const s = await startServe(['--data-dir', data.dir, '--bind', '127.0.0.1:0'], { KANADE_AUTH_DISABLE: '1' })
      try {
        expect(await (await fetch(`${s.url}/health`)).text()).toBe('ok')
        const status = (await (await fetch(`${s.url}/api/jetstream/status`)).json()) as {
          streams: { exists: boolean }[]
          kv_buckets: { exists: boolean }[]
          object_stores: unknown[]
        }
        expect(status.streams).toHaveLength(5)
        expect(status.kv_buckets).toHaveLength(7)
        expect(status.object_stores).toEqual([{ name: 'agent_releases', exists: true }])
        expect([...status.streams, ...status.kv_buckets].every((r: { exists: boolean }) => r.exists)).toBe(true)
        expect(natsServerPids(data.dir).length).toBeGreaterThan(0)
      } finally {
        expect(await s.stop(signal)).toBe(0)
      }
      expect(natsServerPids(data.dir)).toEqual([])
      data.cleanup()
    },
  )

  it('fails at start with a message naming a bad setting', async () => {
    await expect(startServe(['--bind', 'nonsense'], {}, 10_000)).rejects.toThrow(/--bind.*host:port/)
  })
})

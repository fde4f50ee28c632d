import { KV } from '../../../shared/nats-names'
import type { SubsystemFactory } from '../console'
import type { ConnectionStatus } from '../nats/connect'
import type { CoreServices, Subsystem } from '../services'
import { BucketFollower, DEFAULT_FOLLOWER_OPTIONS, type FollowerOptions } from './follower'
import { MIRRORED_BUCKETS } from './store'

// Subsystem 'kv-mirror': copies the KV buckets the dashboard reads into SQLite (table kv_mirror)
// while the console runs, so offline review of the database file shows the job catalog,
// schedules, script status, groups and config scopes. Read routes use the copy only when the
// broker is out of reach (kv-mirror/source.ts); the control plane always reads KV.

export const KV_MIRROR = 'kv-mirror'

export interface KvMirror extends Subsystem {
  /** True while the bucket's copy is complete and followed live. */
  synced(bucket: string): boolean
  /** Copy every bucket again; resolves when each copy is stored or has failed (and will retry). */
  resync(): Promise<void>
}

export interface KvMirrorOptions extends Partial<FollowerOptions> {
  buckets?: readonly string[]
  /** How long start() waits for the first copies before letting the console go on. */
  startWaitMs?: number
}

export async function startKvMirror(core: CoreServices, opts: KvMirrorOptions = {}): Promise<KvMirror> {
  const log = core.log.child(KV_MIRROR)
  const link = core.nats
  if (!link) {
    log.debug('no broker: nothing to mirror')
    return { synced: () => false, resync: async () => {}, stop: async () => {} }
  }
  const followerOpts: FollowerOptions = { ...DEFAULT_FOLLOWER_OPTIONS, ...opts }
  const followers = (opts.buckets ?? MIRRORED_BUCKETS).map(
    (bucket) =>
      new BucketFollower(
        bucket,
        {
          db: core.db,
          nc: () => (link.nc.isClosed() ? null : link.nc),
          now: () => core.now(),
          log,
          onApplied: (b, keys) => {
            // Edits by other writers (kanade CLI, another console) reach open pages too.
            if (b === KV.jobs || b === KV.scriptStatus || b === KV.scriptCurrent) core.bus.emit('jobs.changed', { ids: keys })
            else if (b === KV.schedules) core.bus.emit('schedules.changed', { ids: keys })
          },
        },
        followerOpts,
      ),
  )
  const resync = async () => {
    await Promise.allSettled(followers.map((f) => f.sync()))
  }

  // A reconnect may be to a restarted server that lost the watches' consumers, and changes
  // made meanwhile were never delivered: copy everything again.
  let wasConnected = link.connected
  const onStatus = (s: ConnectionStatus) => {
    const connected = s.state === 'connected'
    if (connected && !wasConnected) {
      log.info('reconnected to NATS; copying the KV buckets again')
      void resync()
    }
    wasConnected = connected
  }
  link.on('status', onStatus)

  let timer: NodeJS.Timeout | undefined
  const waitMs = opts.startWaitMs ?? 10_000
  await Promise.race([resync(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))])
  clearTimeout(timer)
  const missing = followers.filter((f) => !f.synced).map((f) => f.bucket)
  if (missing.length) log.warn(`KV mirror not complete yet for ${missing.join(', ')}; it keeps trying`)

  return {
    synced: (bucket) => followers.some((f) => f.bucket === bucket && f.synced),
    resync,
    async stop() {
      link.off('status', onStatus)
      await Promise.all(followers.map((f) => f.stop()))
    },
  }
}

export const kvMirrorSubsystem: SubsystemFactory = { name: KV_MIRROR, start: (core) => startKvMirror(core) }

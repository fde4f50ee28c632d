import { KvWatchInclude, type KV, type KvEntry } from 'nats'
import { KV as BUCKETS } from '../../../shared/nats-names'
import type { Manifest } from '../../../shared/wire'
import { getManifest } from '../control/jobs'
import { allMemberships } from '../control/membership'
import { bucket } from '../control/nats'
import { getRaw, listKeys } from '../nats/kv'
import type { CoreServices } from '../services'

// What the driver reads and writes outside SQLite, behind two small interfaces so unit tests
// can drive it from memory; the KV implementations are used by the running console.

export interface ScheduleEntry {
  key: string
  /** The stored JSON text. */
  value: string
  revision: number
}

export type ScheduleChange = { op: 'put'; entry: ScheduleEntry } | { op: 'delete'; key: string; revision: number }

export interface OpenedSource {
  /** Every schedule at open time. Changes after it arrive through onChange, in order. */
  initial: ScheduleEntry[]
  close(): Promise<void>
}

export interface ScheduleSource {
  open(onChange: (c: ScheduleChange) => void): Promise<OpenedSource>
  /** Compare-and-set write; false when the entry changed since `revision` (someone edited it). */
  update(key: string, value: string, revision: number): Promise<boolean>
}

export interface FleetReads {
  /** The manifest in KV `jobs`, or null when missing. */
  manifest(jobId: string): Promise<Manifest | null>
  /** pc id → groups, from KV `agent_groups` (both stored shapes, Q5). */
  memberships(): Promise<Map<string, string[]>>
}

const dec = new TextDecoder()
const enc = new TextEncoder()

/** KV `schedules`: watch first (updates only), then collect the keys, then read each value
 *  (nats 2.29.3 pitfall: never await get() while iterating keys()). A change that races the
 *  initial read arrives through the watch too; the driver ignores revisions it has seen. */
export function kvScheduleSource(core: CoreServices): ScheduleSource {
  let kvPromise: Promise<KV> | null = null
  const kv = () => (kvPromise ??= bucket(core, BUCKETS.schedules))
  return {
    async open(onChange) {
      const store = await kv()
      const watch = await store.watch({ key: '>', include: KvWatchInclude.UpdatesOnly })
      const initial: ScheduleEntry[] = []
      try {
        let keys: string[] = []
        try {
          keys = await listKeys(store)
        } catch (e) {
          // kanade tolerates a listing error on an empty bucket; anything real shows up below.
          core.log.debug('listing KV schedules failed (empty bucket?)', e)
        }
        for (const key of keys) {
          const raw = await getRaw(store, key)
          if (raw) initial.push({ key, value: raw.value, revision: raw.revision })
        }
      } catch (e) {
        watch.stop()
        throw e
      }
      const pump = (async () => {
        for await (const e of watch) onChange(toChange(e))
      })().catch((e) => core.log.error('the KV schedules watch ended; live schedule edits are not applied until restart', e))
      return {
        initial,
        async close() {
          watch.stop()
          await pump
        },
      }
    },
    async update(key, value, revision) {
      try {
        await (await kv()).update(key, enc.encode(value), revision)
        return true
      } catch (e) {
        if (/wrong last sequence/i.test((e as Error).message)) return false
        throw e
      }
    },
  }
}

function toChange(e: KvEntry): ScheduleChange {
  if (e.operation === 'PUT') return { op: 'put', entry: { key: e.key, value: dec.decode(e.value), revision: e.revision } }
  return { op: 'delete', key: e.key, revision: e.revision }
}

export function kvFleetReads(core: CoreServices): FleetReads {
  return {
    manifest: (jobId) => getManifest(core, jobId),
    memberships: () => allMemberships(core),
  }
}

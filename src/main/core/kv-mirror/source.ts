import { ApiError } from '../../../shared/api/errors'
import { snapshotKv } from '../control/kv-snapshot'
import { bucket as bindBucket, bucketOrNull } from '../control/nats'
import { getRaw } from '../nats/kv'
import { natsUp } from '../queries/kv-read'
import { subsystem, type CoreServices } from '../services'
import { KV_MIRROR } from './index'
import { mirroredAt, readMirror, readMirrorKey } from './store'

// The catalog source of the READ routes (jobs, schedules, script status, groups, config):
// KV while the broker is connected; otherwise the SQLite mirror, which is
//  - all there is in offline review (core.nats === null, read-only file), and
//  - in a live console whose broker is down, the copy its kv-mirror subsystem kept up to the
//    moment the link dropped: stale but better than an empty page (writes are refused anyway).
// A bucket the file never mirrored answers 503 nats_unavailable, as before the mirror existed.
// Control-plane reads (exec targets, the scheduler's fleet reads, compare-and-set writes)
// never come here: they need the broker's current state.

export interface KvText {
  value: string
  revision: number
}

export type CatalogSourceKind = 'kv' | 'mirror'

const dec = new TextDecoder()
const PARALLEL = 32

/** Where `bucket` is read from right now, or null when nothing can serve it. */
export function catalogSource(core: CoreServices, bucket: string): CatalogSourceKind | null {
  if (natsUp(core)) return 'kv'
  if (!core.readonly && !subsystem(core, KV_MIRROR)) return null
  return mirroredAt(core.db, bucket) !== null ? 'mirror' : null
}

function unavailable(core: CoreServices, bucket: string): ApiError {
  if (core.readonly || !core.nats) {
    return new ApiError(
      'nats_unavailable',
      `offline review: this database file holds no copy of KV '${bucket}' (written by a console without the KV mirror, or one that never reached its broker)`,
    )
  }
  return new ApiError('nats_unavailable', 'not connected to NATS; try again when the broker is reachable')
}

export interface ReadCatalogOptions {
  /** Only these keys (absent ones are left out). */
  only?: readonly string[]
  /** A bucket missing on the broker reads as empty (kanade's lists) or answers 503. */
  missing?: 'empty' | 'unavailable'
}

/** Latest value of every live key of `bucket` (or of the named keys), by key. */
export async function readCatalog(core: CoreServices, bucket: string, opts: ReadCatalogOptions = {}): Promise<Map<string, KvText>> {
  const source = catalogSource(core, bucket)
  if (source === 'mirror') return readMirror(core.db, bucket, opts.only)
  if (source === null) throw unavailable(core, bucket)
  const kv = opts.missing === 'unavailable' ? await bindBucket(core, bucket) : await bucketOrNull(core, bucket)
  const out = new Map<string, KvText>()
  if (!kv) return out
  if (!opts.only) {
    for (const [key, e] of await snapshotKv(kv)) out.set(key, { value: dec.decode(e.value), revision: e.revision })
    return out
  }
  // A key NATS KV cannot hold (a pc_id with a space, say) is simply absent; asking would throw.
  const keys = [...new Set(opts.only)].filter(isKvKey).sort()
  for (let i = 0; i < keys.length; i += PARALLEL) {
    const chunk = keys.slice(i, i + PARALLEL)
    const values = await Promise.all(chunk.map((k) => getRaw(kv, k)))
    values.forEach((v, j) => v && out.set(chunk[j], v))
  }
  return out
}

/** One key's latest value, or null when unset. A bucket missing on the broker answers 503. */
export async function readCatalogKey(core: CoreServices, bucket: string, key: string): Promise<KvText | null> {
  const source = catalogSource(core, bucket)
  if (source === 'mirror') return readMirrorKey(core.db, bucket, key)
  if (source === null) throw unavailable(core, bucket)
  if (!isKvKey(key)) return null
  return getRaw(await bindBucket(core, bucket), key)
}

/** A key NATS KV accepts (nats.js validateKey): `[-/=.\w]+`, not starting or ending with a dot. */
export function isKvKey(key: string): boolean {
  return /^[-/=.\w]+$/.test(key) && !key.startsWith('.') && !key.endsWith('.')
}

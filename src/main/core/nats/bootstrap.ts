import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats'
import { KV_BUCKETS, OBJECT_STORES, STREAMS, type StreamSpec } from '../../../shared/nats-names'

// Create-or-update the kanade 0.30 JetStream set (protocol §3): 5 streams, 7 KV buckets,
// 1 object store. Idempotent: a second run changes nothing; drifted limits are reconciled.

export interface BootstrapReport {
  created: string[]
  updated: string[]
  unchanged: string[]
}

function desired(spec: StreamSpec, replicas: number): Partial<StreamConfig> {
  return {
    name: spec.name,
    subjects: spec.subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: spec.maxAgeNs,
    max_msgs_per_subject: spec.maxMsgsPerSubject ?? -1,
    discard: spec.discard === 'old' || !spec.discard ? DiscardPolicy.Old : DiscardPolicy.New,
    num_replicas: replicas,
  }
}

function differs(current: StreamConfig, want: Partial<StreamConfig>): boolean {
  return (Object.keys(want) as (keyof StreamConfig)[]).some((k) => {
    const a = current[k]
    const b = want[k]
    return JSON.stringify(a) !== JSON.stringify(b)
  })
}

async function ensureStream(
  jsm: JetStreamManager,
  want: Partial<StreamConfig>,
  report: BootstrapReport,
): Promise<void> {
  const name = want.name!
  let current: StreamConfig | null = null
  try {
    current = (await jsm.streams.info(name)).config
  } catch (e) {
    if (!isNotFound(e)) throw e
  }
  if (!current) {
    await jsm.streams.add(want)
    report.created.push(name)
  } else if (differs(current, want)) {
    await jsm.streams.update(name, { ...current, ...want })
    report.updated.push(name)
  } else {
    report.unchanged.push(name)
  }
}

export function isNotFound(e: unknown): boolean {
  const err = e as { code?: string | number; api_error?: { err_code?: number }; message?: string }
  return (
    err?.api_error?.err_code === 10059 ||
    err?.code === '404' ||
    err?.code === 404 ||
    /not found/i.test(err?.message ?? '')
  )
}

export async function bootstrapJetStream(nc: NatsConnection, replicas = 1): Promise<BootstrapReport> {
  const jsm = await nc.jetstreamManager()
  const report: BootstrapReport = { created: [], updated: [], unchanged: [] }
  for (const spec of STREAMS) await ensureStream(jsm, desired(spec, replicas), report)

  // KV buckets are streams named KV_<bucket>; create through the KV API (so the stream has
  // the settings nats.js and agents expect), then reconcile history/replicas like a stream.
  const js = nc.jetstream()
  for (const b of KV_BUCKETS) {
    const streamName = `KV_${b.name}`
    let exists = true
    try {
      await jsm.streams.info(streamName)
    } catch (e) {
      if (!isNotFound(e)) throw e
      exists = false
    }
    if (!exists) {
      await js.views.kv(b.name, { history: b.history, replicas })
      report.created.push(`kv:${b.name}`)
      continue
    }
    const info = await jsm.streams.info(streamName)
    const want = { max_msgs_per_subject: b.history, num_replicas: replicas }
    if (differs(info.config, want)) {
      await jsm.streams.update(streamName, { ...info.config, ...want })
      report.updated.push(`kv:${b.name}`)
    } else {
      report.unchanged.push(`kv:${b.name}`)
    }
  }
  for (const name of OBJECT_STORES) {
    try {
      await jsm.streams.info(`OBJ_${name}`)
      report.unchanged.push(`os:${name}`)
    } catch (e) {
      if (!isNotFound(e)) throw e
      await js.views.os(name, { replicas })
      report.created.push(`os:${name}`)
    }
  }
  return report
}

export interface ResourceStatus {
  name: string
  exists: boolean
}

/** kanade's `/api/jetstream/status` shape. */
export async function jetstreamStatus(nc: NatsConnection): Promise<{
  streams: ResourceStatus[]
  kv_buckets: ResourceStatus[]
  object_stores: ResourceStatus[]
}> {
  const jsm = await nc.jetstreamManager()
  const exists = async (stream: string) => {
    try {
      await jsm.streams.info(stream)
      return true
    } catch (e) {
      if (isNotFound(e)) return false
      throw e
    }
  }
  const streams: ResourceStatus[] = []
  for (const s of STREAMS) streams.push({ name: s.name, exists: await exists(s.name) })
  const kv_buckets: ResourceStatus[] = []
  for (const b of KV_BUCKETS) kv_buckets.push({ name: b.name, exists: await exists(`KV_${b.name}`) })
  const object_stores: ResourceStatus[] = []
  for (const o of OBJECT_STORES) object_stores.push({ name: o, exists: await exists(`OBJ_${o}`) })
  return { streams, kv_buckets, object_stores }
}

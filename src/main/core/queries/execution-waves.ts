import type { Db } from '../db/open'
import type { ExecutionWave } from '../../../shared/api/executions'
import { ts } from './sql'

// The subjects an exec publishes and when (the progress board's "waves and their times"): the
// planned subjects (`executions.subjects_json`, in plan order: wave i of a rollout is subject
// i), of which those with a delay are rows of `pending_wave_publishes` (wave_index = i) and the
// others went out at exec time. `published_json` lists the immediate subjects that went out
// first, then each delayed wave as it is sent. Rows from kanade 0.30 databases have no plan:
// no waves.

interface ExecPlanRow {
  initiated_at: string | null
  status: string
  subjects_json: string | null
  published_json: string | null
  plan_json: string | null
  publish_error: string | null
  schedule_id: string | null
}

interface WaveDbRow {
  wave_index: number
  subject: string
  due_at: string
  status: string
  attempts: number
  last_error: string | null
  published_at: string | null
}

export interface ExecutionWaves {
  /** A rollout (`rollout.waves`): the subjects are its waves. */
  wave_mode: boolean
  waves: ExecutionWave[]
  publish_error: string | null
  schedule_id: string | null
}

const GROUP = 'commands.group.'
const PC = 'commands.pc.'

function addressOf(subject: string): Pick<ExecutionWave, 'kind' | 'group' | 'pc_id'> {
  if (subject.startsWith(GROUP)) return { kind: 'group', group: subject.slice(GROUP.length), pc_id: null }
  if (subject.startsWith(PC)) return { kind: 'pc', group: null, pc_id: subject.slice(PC.length) }
  return { kind: 'all', group: null, pc_id: null }
}

function jsonList(text: string | null): string[] | null {
  if (text === null) return null
  try {
    const v = JSON.parse(text) as unknown
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : null
  } catch {
    return null
  }
}

function isWavePlan(planJson: string | null): boolean {
  if (!planJson) return false
  try {
    const waves = (JSON.parse(planJson) as { rollout?: { waves?: unknown[] } | null }).rollout?.waves
    return Array.isArray(waves) && waves.length > 0
  } catch {
    return false
  }
}

const WAVE_STATUS: Record<string, ExecutionWave['status']> = { published: 'sent', pending: 'pending', cancelled: 'cancelled' }

export function executionWaves(db: Db, execId: string): ExecutionWaves | null {
  const e = db
    .prepare('SELECT initiated_at, status, subjects_json, published_json, plan_json, publish_error, schedule_id FROM executions WHERE exec_id = ?')
    .get(execId) as ExecPlanRow | undefined
  if (!e) return null
  const subjects = jsonList(e.subjects_json) ?? []
  const rows = db
    .prepare(
      `SELECT wave_index, subject, due_at, status, attempts, last_error, published_at
         FROM pending_wave_publishes WHERE exec_id = ? ORDER BY wave_index`,
    )
    .all(execId) as WaveDbRow[]
  const delayed = new Map(rows.map((r) => [r.wave_index, r]))
  const published = jsonList(e.published_json)
  // published_json starts with the immediate subjects that went out (then the sent waves).
  const sentWaves = rows.filter((r) => r.status === 'published').length
  let immediateSent = published === null ? 0 : Math.max(0, published.length - sentWaves)
  const initiated = ts(e.initiated_at)

  const waves: ExecutionWave[] = subjects.map((subject, index) => {
    const w = delayed.get(index)
    if (w) {
      return {
        index,
        subject: w.subject,
        ...addressOf(w.subject),
        due_at: ts(w.due_at),
        status: WAVE_STATUS[w.status] ?? 'pending',
        sent_at: ts(w.published_at),
        attempts: w.attempts,
        last_error: w.last_error,
      }
    }
    let status: ExecutionWave['status']
    if (immediateSent > 0) {
      immediateSent--
      status = 'sent'
    } else {
      // Not (yet) out: still publishing, or the publish failed part-way (status failed).
      status = published === null && e.status !== 'failed' ? 'pending' : 'failed'
    }
    return {
      index,
      subject,
      ...addressOf(subject),
      due_at: initiated,
      status,
      sent_at: status === 'sent' ? initiated : null,
      attempts: status === 'pending' ? 0 : 1,
      last_error: status === 'failed' ? e.publish_error : null,
    }
  })
  return { wave_mode: isWavePlan(e.plan_json), waves, publish_error: e.publish_error, schedule_id: e.schedule_id }
}

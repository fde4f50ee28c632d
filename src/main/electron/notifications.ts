import type { PushEvent, PushEvents } from '../../shared/events'
import { onlineWindowMs } from '../core/online-window'
import type { NotificationSettings } from './settings'

// Which desktop notifications to show, decided from the core's push events (`agents.offline`
// comes from the core's liveness watcher), within the user's settings. Bursts are summarised, each execution is announced once.

export type NoticeKind = 'execution' | 'agent_offline' | 'dead_letter'

export interface Notice {
  kind: NoticeKind
  title: string
  body: string
}

const FINISHED = new Set(['completed', 'expired', 'failed'])

export function executionNotice(p: PushEvents['execution.progress']): Notice {
  const title =
    p.status === 'completed'
      ? p.failure_count > 0
        ? `Execution finished with ${p.failure_count} failure${p.failure_count === 1 ? '' : 's'}`
        : 'Execution finished'
      : `Execution ${p.status}`
  const body = `${p.job_id}: ${p.success_count} succeeded, ${p.failure_count} failed of ${p.target_count} (${p.exec_id})`
  return { kind: 'execution', title, body }
}

const windowText = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`)

export function offlineNotice(pcIds: string[]): Notice {
  if (pcIds.length === 1) {
    return { kind: 'agent_offline', title: `${pcIds[0]} went offline`, body: `No heartbeat for ${windowText(onlineWindowMs())}.` }
  }
  const shown = pcIds.slice(0, 5).join(', ')
  return {
    kind: 'agent_offline',
    title: `${pcIds.length} agents went offline`,
    body: pcIds.length > 5 ? `${shown} and ${pcIds.length - 5} more` : shown,
  }
}

export function deadLetterNotice(items: PushEvents['dead_letter.added'][]): Notice {
  if (items.length === 1) {
    const d = items[0]
    return { kind: 'dead_letter', title: 'A message went to the dead letters', body: `${d.projector}: ${d.subject}: ${d.error}` }
  }
  const projectors = [...new Set(items.map((d) => d.projector))].sort().join(', ')
  return { kind: 'dead_letter', title: `${items.length} messages went to the dead letters`, body: `projectors: ${projectors}` }
}

export interface NotificationPolicyOptions {
  settings(): NotificationSettings
  show(n: Notice): void
  /** Dead letters arriving within this window are summarised in one notice. */
  deadLetterWindowMs?: number
}

export class NotificationPolicy {
  private announced = new Set<string>()
  private pendingDead: PushEvents['dead_letter.added'][] = []
  private deadTimer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: NotificationPolicyOptions) {}

  onEvent(e: PushEvent): void {
    const s = this.opts.settings()
    if (e.type === 'execution.progress') {
      const p = e.data as PushEvents['execution.progress']
      if (!FINISHED.has(p.status) || this.announced.has(p.exec_id)) return
      this.remember(p.exec_id)
      if (s.executionFinished) this.opts.show(executionNotice(p))
    } else if (e.type === 'agents.offline') {
      this.onWentOffline((e.data as PushEvents['agents.offline']).pc_ids)
    } else if (e.type === 'dead_letter.added') {
      if (!s.deadLetter) return
      this.pendingDead.push(e.data as PushEvents['dead_letter.added'])
      if (!this.deadTimer) {
        this.deadTimer = setTimeout(() => this.flushDeadLetters(), this.opts.deadLetterWindowMs ?? 2000)
        this.deadTimer.unref?.()
      }
    }
  }

  onWentOffline(pcIds: string[]): void {
    if (pcIds.length && this.opts.settings().agentOffline) this.opts.show(offlineNotice(pcIds))
  }

  flushDeadLetters(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer)
    this.deadTimer = null
    const items = this.pendingDead
    this.pendingDead = []
    if (items.length && this.opts.settings().deadLetter) this.opts.show(deadLetterNotice(items))
  }

  dispose(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer)
    this.deadTimer = null
    this.pendingDead = []
  }

  // Progress events repeat for one execution; keep the recent ids only.
  private remember(execId: string): void {
    this.announced.add(execId)
    if (this.announced.size > 2000) this.announced.delete(this.announced.values().next().value as string)
  }
}

import type { EventBus } from '../bus'
import type { ExecutionProgress } from '../../../shared/events'

// What a committed batch changed, collected while applying and emitted on the bus only
// after the commit (a rolled-back batch emits nothing).

export interface DeadLetterNote {
  projector: string
  subject: string
  error: string
}

export class ChangeSet {
  readonly resultIds = new Set<string>()
  readonly resultExecIds = new Set<string>()
  readonly resultPcIds = new Set<string>()
  /** Latest state of every executions row whose counters moved. */
  readonly executions = new Map<string, ExecutionProgress>()
  /** Counter moves not yet written, per exec_id (one UPDATE per exec per transaction). */
  readonly counterDeltas = new Map<string, { ok: number; failed: number }>()
  readonly agentPcIds = new Set<string>()
  auditCount = 0
  readonly deadLetters: DeadLetterNote[] = []

  resultChanged(resultId: string, execId: string | null, pcId: string): void {
    this.resultIds.add(resultId)
    if (execId) this.resultExecIds.add(execId)
    this.resultPcIds.add(pcId)
  }

  countResult(execId: string, ok: number, failed: number): void {
    const d = this.counterDeltas.get(execId)
    if (d) {
      d.ok += ok
      d.failed += failed
    } else {
      this.counterDeltas.set(execId, { ok, failed })
    }
  }

  merge(other: ChangeSet): void {
    for (const [id, d] of other.counterDeltas) this.countResult(id, d.ok, d.failed)
    for (const id of other.resultIds) this.resultIds.add(id)
    for (const id of other.resultExecIds) this.resultExecIds.add(id)
    for (const id of other.resultPcIds) this.resultPcIds.add(id)
    for (const [id, p] of other.executions) this.executions.set(id, p)
    for (const id of other.agentPcIds) this.agentPcIds.add(id)
    this.auditCount += other.auditCount
    this.deadLetters.push(...other.deadLetters)
  }
}

/** Emit the typed push events of a committed change set. */
export function emitChanges(bus: EventBus, c: ChangeSet): void {
  if (c.resultIds.size) {
    bus.emit('results.changed', {
      result_ids: [...c.resultIds],
      exec_ids: [...c.resultExecIds],
      pc_ids: [...c.resultPcIds],
    })
  }
  for (const p of c.executions.values()) bus.emit('execution.progress', p)
  if (c.agentPcIds.size) bus.emit('agents.changed', { pc_ids: [...c.agentPcIds] })
  if (c.auditCount) bus.emit('audit.added', { count: c.auditCount })
  for (const d of c.deadLetters) bus.emit('dead_letter.added', d)
}

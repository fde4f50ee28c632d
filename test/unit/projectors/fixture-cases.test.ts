// Every case of fixtures/projector-cases.json through the pure apply path (no NATS): the
// same functions the runner calls, with JetStream's redelivery simulated step by step.
import { afterEach, describe, expect, it } from 'vitest'
import { applyAll } from '../../../src/main/core/projectors/apply'
import { expirePendingExecutions } from '../../../src/main/core/projectors/cleanup'
import { applyHeartbeats } from '../../../src/main/core/projectors/heartbeats'
import { ManifestCache } from '../../../src/main/core/projectors/manifests'
import type { ApplyEnv, OutcomeKind } from '../../../src/main/core/projectors/types'
import { silentLogger } from '../../../src/main/core/log'
import { parseTimestamp } from '../../../src/shared/time'
import { tempDb } from '../../helpers/db'
import { expectedTables, expectTables, loadProjectorCases, PROJECTOR_BY_STREAM, seedGiven, standInExec, stepBody } from './support/cases'

const cases = loadProjectorCases()
let cleanup: (() => void) | null = null
afterEach(() => {
  cleanup?.()
  cleanup = null
})

const q17Cases: string[] = []

describe('projector-cases.json through the pure apply path', () => {
  it('has the expected number of cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(33)
  })

  for (const c of cases) {
    it(`${c.id}: ${c.name}`, () => {
      const t = tempDb()
      cleanup = t.cleanup
      const db = t.db
      const kv = seedGiven(db, c)
      const env: ApplyEnv = {
        db,
        now: () => Date.parse('2026-05-20T12:00:00Z'),
        manifests: ManifestCache.of(kv.jobs ?? {}, silentLogger),
        log: silentLogger,
      }
      const refs: Record<string, string> = {}
      let acked = true
      c.steps.forEach((step, i) => {
        const label = `${c.id} step ${i + 1} (${step.op})`
        switch (step.op) {
          case 'deliver': {
            const projector = PROJECTOR_BY_STREAM[step.stream!]
            const maxDeliver = step.max_deliver ?? 10
            const failOn = new Set(step.apply_fails_on_deliveries ?? [])
            let delivery = step.delivery ?? 1
            let kind: OutcomeKind
            // JetStream redelivers a nak'd message until it is acked or max_deliver is reached.
            for (;;) {
              const r = applyAll(
                env,
                projector,
                [{ stream: step.stream!, seq: step.stream_seq!, subject: step.subject!, data: stepBody(step, refs), deliveries: delivery }],
                { maxDeliver, failApply: (m) => failOn.has(m.deliveries) },
              )
              kind = r.outcomes[0].kind
              if (kind !== 'retry') break
              delivery++
              expect(delivery, `${label}: redelivered beyond max_deliver`).toBeLessThanOrEqual(maxDeliver)
            }
            // The loop only ends on a settling outcome, i.e. an ack.
            acked = acked && ['applied', 'unchanged', 'skipped', 'dead_letter'].includes(kind)
            if (step.applied !== undefined) expect(kind === 'applied', `${label}: applied (${kind})`).toBe(step.applied)
            break
          }
          case 'core':
            applyHeartbeats(env, [{ subject: step.subject!, data: stepBody(step, refs), receivedAt: env.now() }])
            break
          case 'cleanup':
            expect(expirePendingExecutions(db, parseTimestamp(step.now!)!), `${label}: affected`).toBe(step.affected)
            break
          case 'exec': {
            const execId = `exec-${c.id.toLowerCase()}`
            standInExec(db, step, kv, execId)
            if (step.exec_id_ref) refs[step.exec_id_ref] = execId
            break
          }
        }
      })
      const { tables, q17 } = expectedTables(c, refs)
      if (q17.length) q17Cases.push(c.id)
      expectTables(db, tables, c.id)
      if (c.expect.acked !== undefined) expect(acked).toBe(c.expect.acked)
    })
  }

  it('applies Q17 (version from the exec) exactly where a result beat its start event', () => {
    // Cases whose executions row is known and whose result row was created by the result.
    expect(q17Cases.sort()).toEqual(['RS-2', 'RS-7', 'RS-8'])
  })
})

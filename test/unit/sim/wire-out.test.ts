import fc from 'fast-check'
import { expect, it } from 'vitest'
import { agentTimestamp } from '../../../src/main/sim/format'
import { eventStartedJson, execResultJson, heartbeatJson } from '../../../src/main/sim/wire-out'
import { encodeEventStarted, encodeExecResult, encodeHeartbeat } from '../../../src/shared/wire'

// The simulator's fast encoders write the same bytes as the shared (validating) encoders.

const ts = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map(agentTimestamp)
const text = fc.string({ maxLength: 40 })

it('ExecResult, EventStarted and Heartbeat encode byte for byte like the wire encoders', () => {
  fc.assert(
    fc.property(
      fc.record({
        result_id: fc.uuid(),
        request_id: fc.uuid(),
        exec_id: fc.option(fc.uuid(), { nil: null }),
        pc_id: fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
        exit_code: fc.integer({ min: -1, max: 9009 }),
        stdout: text,
        stderr: text,
        started_at: ts,
        finished_at: ts,
        manifest_id: fc.option(text, { nil: null }),
      }),
      (r) => {
        expect(execResultJson(r)).toBe(encodeExecResult(r))
        if (r.exec_id !== null) {
          const e = { result_id: r.result_id, request_id: r.request_id, exec_id: r.exec_id, pc_id: r.pc_id, started_at: r.started_at, manifest_id: r.manifest_id ?? 'x', version: '1.0.0' }
          expect(eventStartedJson(e)).toBe(encodeEventStarted(e))
        }
        const hb = { pc_id: r.pc_id, at: r.started_at, agent_version: '0.30.2', hostname: r.manifest_id, os_family: r.exec_id ? 'windows' : null }
        expect(heartbeatJson(hb)).toBe(encodeHeartbeat(hb))
      },
    ),
    { numRuns: 300 },
  )
})

import { describe, expect, it } from 'vitest'
import { auditSubject, buildAuditEvent, subjectToken } from '../../../src/main/core/control/audit'
import type { CoreServices } from '../../../src/main/core/services'
import { decodeAuditEvent } from '../../../src/shared/wire'
import { wireVectors } from '../wire/fixtures'

const core = { now: () => Date.parse('2026-05-20T12:00:00.123Z') } as unknown as CoreServices

describe('audit events', () => {
  it('builds kanade’s AuditEvent shape with sub/source merged for HTTP callers', () => {
    const e = buildAuditEvent(core, { actor: 'alice', sub: 'alice', source: 'spa' }, 'job_upsert', 'echo-test', {
      version: '0.0.1',
      inventory: false,
    })
    expect(e).toEqual({
      actor: 'alice',
      action: 'job_upsert',
      target: 'echo-test',
      payload: { version: '0.0.1', inventory: false, sub: 'alice', source: 'spa' },
      occurred_at: '2026-05-20T12:00:00.123Z',
    })
    // decodes like the fixture of the same action
    const fixture = wireVectors().find((v) => v.name === 'audit/job-upsert')!
    expect(Object.keys(decodeAuditEvent(e))).toEqual(Object.keys(fixture.payload as object))
  })

  it('never overwrites payload keys with sub / source, and leaves them out for the desktop and scheduler', () => {
    const e = buildAuditEvent(core, { actor: 'x', sub: 'jwt-sub', source: 'cli' }, 'exec', 'j', { sub: 'kept' })
    expect(e.payload).toEqual({ sub: 'kept', source: 'cli' })
    expect(buildAuditEvent(core, { actor: 'scheduler' }, 'exec', 'j', { a: 1 }).payload).toEqual({ a: 1 })
  })

  it('uses audit.<actor>.<action>[.<target>] with the actor made a single token', () => {
    expect(auditSubject('console', 'exec', 'echo-test')).toBe('audit.console.exec.echo-test')
    expect(auditSubject('operator', 'example_action', null)).toBe('audit.operator.example_action')
    expect(auditSubject('alice@example.com', 'run', 'PC-1')).toBe('audit.alice@example_com.run.PC-1')
    expect(auditSubject('a b>*', 'kill', 'x')).toBe('audit.a_b__.kill.x')
    expect(auditSubject('console', 'config_put', 'groups.canary')).toBe('audit.console.config_put.groups.canary')
    expect(subjectToken('')).toBe('_')
  })
})

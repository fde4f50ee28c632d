import { subjects } from '../../../shared/nats-names'
import { toCanonical } from '../../../shared/time'
import { encodeAuditEvent, type AuditEvent, type JsonValue } from '../../../shared/wire'
import type { Caller } from '../handlers/types'
import type { CoreServices } from '../services'
import { utf8 } from './nats'

// Audit publisher: every change made through the console becomes ONE AuditEvent, core-published
// on audit.<actor>.<action>[.<target>] (captured by the AUDIT stream; the audit projector turns
// it into an audit_log row). Best effort, as kanade: a failed publish is logged, not raised.

export type AuditPayload = { [key: string]: JsonValue | undefined }

/** Subject tokens cannot hold '.', '*', '>' or whitespace; a JWT subject such as an e-mail
 *  address would otherwise split into several tokens. The event keeps the actor verbatim. */
export function subjectToken(s: string): string {
  const t = s.replace(/[.*>\s]/g, '_')
  return t.length ? t : '_'
}

/** The target is appended raw (it may contain dots, as kanade's do) minus wildcards. */
function targetTokens(s: string): string {
  return s.replace(/[*>\s]/g, '_').replace(/^\.+|\.+$/g, '_')
}

export function auditSubject(actor: string, action: string, target: string | null): string {
  return subjects.audit(subjectToken(actor), action, target === null ? null : targetTokens(target))
}

/** Build the event: `sub` / `source` of an HTTP caller are merged without overwriting keys. */
export function buildAuditEvent(
  core: CoreServices,
  caller: Caller,
  action: string,
  target: string | null,
  payload: AuditPayload = {},
): AuditEvent {
  const merged: { [key: string]: JsonValue } = {}
  for (const [k, v] of Object.entries(payload)) if (v !== undefined) merged[k] = v
  if (caller.sub !== undefined && !('sub' in merged)) merged.sub = caller.sub
  if (caller.source !== undefined && !('source' in merged)) merged.source = caller.source
  return { actor: caller.actor, action, target, payload: merged, occurred_at: toCanonical(core.now()) }
}

/** Publish one audit event for a change. Never throws. */
export function publishAudit(
  core: CoreServices,
  caller: Caller,
  action: string,
  target: string | null,
  payload: AuditPayload = {},
): AuditEvent {
  const event = buildAuditEvent(core, caller, action, target, payload)
  const subject = auditSubject(event.actor, action, target)
  try {
    const nc = core.nats?.nc
    if (!nc || nc.isClosed()) throw new Error('no NATS connection')
    nc.publish(subject, utf8(encodeAuditEvent(event)))
  } catch (e) {
    core.log.warn(`audit publish on ${subject} failed`, e)
  }
  return event
}

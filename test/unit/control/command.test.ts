import { describe, expect, it } from 'vitest'
import { decodeManifest, type Manifest } from '../../../src/shared/wire'
import { execCommandJson } from '../../../src/main/core/control/command'
import { decodePlan, preparePlan } from '../../../src/main/core/control/plan'
import { wireVectors } from '../wire/fixtures'

// The Command an exec publishes equals kanade's vectors byte for byte (ids substituted).

const vec = (name: string) => {
  const v = wireVectors().find((x) => x.name === name)
  if (!v) throw new Error(`no vector ${name}`)
  return v
}

function buildWith(manifestName: string, planName: string, deadlineAt?: string) {
  const m: Manifest = decodeManifest(vec(manifestName).payload)
  const plan = decodePlan(vec(planName).payload)
  const p = preparePlan(plan, m)
  return { m, p, plan, deadlineAt: deadlineAt ?? plan.deadline_at }
}

function check(commandName: string, manifestName: string, planName: string, deadlineAt?: string) {
  const { m, p, deadlineAt: d } = buildWith(manifestName, planName, deadlineAt)
  const expected = vec(commandName).payload as Record<string, unknown>
  const json = execCommandJson(m, {
    execId: String(expected.exec_id),
    requestId: String(expected.request_id),
    timeoutSecs: p.timeoutSecs,
    jitterSecs: p.jitterSecs,
    deadlineAt: d,
  })
  expect(json).toBe(JSON.stringify(expected))
  expect(p.subjects[0].subject).toBe(vec(commandName).subject)
}

describe('exec Command encoding against the fixtures', () => {
  it('broadcast with jitter', () => check('command/exec-all-with-jitter', 'manifest/minimal', 'fanout-plan/all-with-jitter'))
  it('one pc with every optional field', () =>
    check('command/exec-one-pc-all-optionals', 'manifest/strict-staleness-run-as-user', 'fanout-plan/one-pc-with-deadline'))
  it('scheduled wave with deadline', () =>
    check('command/scheduled-wave-1', 'manifest/cleanup', 'fanout-plan/waves', '2026-05-20T12:10:00Z'))
})

import { z } from 'zod'
import { MultipartBody, op, type OperationDef } from './op'

// Agent self-update releases in the agent_releases object store (routes 42–45).

export const ReleaseRow = z.object({
  version: z.string(),
  size: z.number().int(),
  digest: z.string(),
  modified: z.string(),
})

export const RolloutScope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('global') }),
  z.object({ type: z.literal('group'), value: z.string() }),
  z.object({ type: z.literal('pc'), value: z.string() }),
])

export const RolloutBody = z.object({
  version: z.string(),
  scope: RolloutScope,
  jitter: z.string().nullish(),
})

export const releasesOps = {
  listReleases: op({
    method: 'GET',
    path: '/api/agents/releases',
    summary: 'Uploaded agent binaries, newest first',
    response: ReleaseRow,
    list: true,
    nats: true,
  }),
  deleteRelease: op({
    method: 'DELETE',
    path: '/api/agents/releases/:version',
    summary: 'Delete an uploaded release (409 while a config scope targets it)',
    params: z.object({ version: z.string() }),
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  publishRelease: op({
    method: 'POST',
    path: '/api/agents/publish',
    summary: 'Upload an agent binary (multipart field `file`; version from field `version` or the file name)',
    body: MultipartBody,
    bodyFormats: ['multipart'],
    response: z.object({ version: z.string(), size: z.number().int(), digest: z.string() }),
    mutates: true,
    nats: true,
  }),
  rolloutRelease: op({
    method: 'POST',
    path: '/api/agents/rollout',
    summary: 'Set target_version (and its jitter) on the global, a group or a pc scope',
    body: RolloutBody,
    response: z.object({
      version: z.string(),
      scope_key: z.string(),
      scope_label: z.string(),
      jitter: z.string().nullable(),
    }),
    mutates: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>

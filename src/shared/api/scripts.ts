import { z } from 'zod'
import { op, type OperationDef } from './op'

// Layer-2 kill switch (routes 29–31): raw ACTIVE / REVOKED values in KV script_status.

const CmdParams = z.object({ cmd_id: z.string() })

export const scriptsOps = {
  scriptsStatus: op({
    method: 'GET',
    path: '/api/scripts/status',
    summary: 'script_status of every manifest id: ACTIVE or REVOKED',
    response: z.record(z.string(), z.string()),
  }),
  revokeScript: op({
    method: 'POST',
    path: '/api/scripts/:cmd_id/revoke',
    summary: 'Agents silently skip commands of this manifest id',
    params: CmdParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
  unrevokeScript: op({
    method: 'POST',
    path: '/api/scripts/:cmd_id/unrevoke',
    summary: 'Let agents run commands of this manifest id again',
    params: CmdParams,
    response: z.null(),
    success: 204,
    mutates: true,
    nats: true,
  }),
} as const satisfies Record<string, OperationDef>

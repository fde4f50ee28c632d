// LogsRequest — subject logs.fetch.<pc_id> (§4.7). The reply is raw text, not JSON.
import { z } from 'zod'
import { U32 } from './common'

export interface LogsRequest {
  tail_lines: number
}

export const DEFAULT_TAIL_LINES = 500

export const LogsRequestSchema: z.ZodType<LogsRequest> = z
  .object({ tail_lines: U32.optional() })
  .transform((r): LogsRequest => ({ tail_lines: r.tail_lines ?? DEFAULT_TAIL_LINES }))

/** Never throws: like the agent, a value that does not decode (`{}`, a wrong type)
 *  means the default of 500 lines. */
export function decodeLogsRequest(raw: unknown): LogsRequest {
  const r = LogsRequestSchema.safeParse(raw)
  return r.success ? r.data : { tail_lines: DEFAULT_TAIL_LINES }
}

/** Same, from the message body; unparsable JSON also means 500 lines. */
export function decodeLogsRequestBody(body: string | Uint8Array): LogsRequest {
  try {
    return decodeLogsRequest(JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)))
  } catch {
    return { tail_lines: DEFAULT_TAIL_LINES }
  }
}

/** `{"tail_lines":N}`; `{}` when N is left out (the agent then sends 500 lines). */
export function encodeLogsRequest(req: Partial<LogsRequest> = {}): string {
  if (req.tail_lines === undefined) return '{}'
  return JSON.stringify({ tail_lines: U32.parse(req.tail_lines) })
}

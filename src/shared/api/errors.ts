// Errors crossing the contract: JSON `{ error, message }` over HTTP (CONVENTIONS.md),
// the same object over IPC.

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'timeout'
  | 'read_only'
  | 'nats_unavailable'
  | 'bad_gateway'
  | 'gateway_timeout'
  | 'internal'

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  bad_gateway: 502,
  nats_unavailable: 503,
  read_only: 403,
  gateway_timeout: 504,
}

export class ApiError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Optional structured detail (e.g. which subjects were published before a failure). */
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message)
    this.status = status ?? STATUS[code]
  }

  toJSON(): { error: ErrorCode; message: string; detail?: unknown } {
    return this.detail === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, detail: this.detail }
  }
}

export const badRequest = (message: string, detail?: unknown) => new ApiError('bad_request', message, detail)
export const notFound = (message: string) => new ApiError('not_found', message)
export const conflict = (message: string, detail?: unknown) => new ApiError('conflict', message, detail)

export function isApiErrorBody(v: unknown): v is { error: ErrorCode; message: string } {
  return !!v && typeof v === 'object' && typeof (v as { error?: unknown }).error === 'string'
}

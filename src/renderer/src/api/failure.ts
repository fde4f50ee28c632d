// An operation that failed, in the contract's `{ error, message }` shape (CONVENTIONS.md "errors").

export class ApiFailure extends Error {
  constructor(
    /** Contract error code (`bad_request`, `conflict`, `read_only`, …) or `network` / `unauthorized`. */
    readonly code: string,
    message: string,
    /** HTTP status when known (0 for network failures and IPC). */
    readonly status = 0,
    readonly detail?: unknown,
  ) {
    super(message)
    this.name = 'ApiFailure'
  }
}

export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e
  if (e && typeof e === 'object' && typeof (e as { error?: unknown }).error === 'string') {
    const b = e as { error: string; message?: unknown; detail?: unknown }
    return new ApiFailure(b.error, typeof b.message === 'string' ? b.message : b.error, 0, b.detail)
  }
  return new ApiFailure('network', e instanceof Error ? e.message : String(e))
}

// Per-stream output cap for result rows (issue 10). Pure: the results projector calls it
// before writing stdout/stderr, so one runaway script cannot grow the database by gigabytes.

/** Default cap per stream (stdout and stderr each), in UTF-8 bytes. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024

export interface CappedText {
  text: string
  truncated: boolean
  /** UTF-8 size of the original text. */
  originalBytes: number
}

/**
 * Cap `text` to at most `maxBytes` UTF-8 bytes. A capped text keeps its head and its tail
 * (a script's last lines usually say why it failed) around a marker naming what was cut.
 * Cuts fall on character boundaries, so the result is always valid text.
 */
export function capOutput(text: string, maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES): CappedText {
  const originalBytes = Buffer.byteLength(text, 'utf8')
  if (originalBytes <= maxBytes) return { text, truncated: false, originalBytes }
  const limit = Math.max(0, Math.floor(maxBytes))
  const bytes = Buffer.from(text, 'utf8')
  const marker = (cut: number) =>
    `\n… [kanade-console: ${cut} of ${originalBytes} bytes cut; output is capped at ${limit} bytes per stream] …\n`
  // The marker's length depends on the number it carries; size it with the widest number.
  const markerBytes = Buffer.byteLength(marker(originalBytes), 'utf8')
  if (markerBytes * 2 > limit) {
    // Too small a cap for a readable marker: plain head.
    return { text: bytes.subarray(0, headEnd(bytes, limit)).toString('utf8'), truncated: true, originalBytes }
  }
  const room = limit - markerBytes
  const head = headEnd(bytes, Math.ceil(room / 2))
  const tail = tailStart(bytes, bytes.length - (room - head))
  const out =
    bytes.subarray(0, head).toString('utf8') + marker(tail - head) + bytes.subarray(tail).toString('utf8')
  return { text: out, truncated: true, originalBytes }
}

export interface CappedOutput {
  stdout: string
  stderr: string
  /** 1 when either stream was cut (the row's `output_truncated`). */
  output_truncated: 0 | 1
  /** What was cut, for the row's `output_note`; null when both streams are whole. */
  output_note: string | null
}

/** Cap both streams of a result; the projector writes the four fields as they are. */
export function capResultOutput(stdout: string, stderr: string, maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES): CappedOutput {
  const out = capOutput(stdout, maxBytes)
  const err = capOutput(stderr, maxBytes)
  const notes: string[] = []
  if (out.truncated) notes.push(`stdout cut from ${out.originalBytes} to ${maxBytes} bytes`)
  if (err.truncated) notes.push(`stderr cut from ${err.originalBytes} to ${maxBytes} bytes`)
  return {
    stdout: out.text,
    stderr: err.text,
    output_truncated: notes.length ? 1 : 0,
    output_note: notes.length ? notes.join('; ') : null,
  }
}

// UTF-8 continuation bytes look like 10xxxxxx: never cut just before one.
function isContinuation(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80
}

/** Largest end ≤ want that does not split a character. */
function headEnd(bytes: Buffer, want: number): number {
  let end = Math.min(Math.max(0, want), bytes.length)
  while (end > 0 && isContinuation(bytes[end])) end--
  return end
}

/** Smallest start ≥ want that does not split a character. */
function tailStart(bytes: Buffer, want: number): number {
  let start = Math.min(Math.max(0, want), bytes.length)
  while (start < bytes.length && isContinuation(bytes[start])) start++
  return start
}

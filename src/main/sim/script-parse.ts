// Splitting script text the way a shell would, far enough for the simulator's interpreter:
// statements (newlines, `;` / `&` separators outside quotes and braces), pipelines and
// arguments with quotes.

/** Split `text` on any of `separators` found outside quotes and (for PowerShell) outside
 *  {…} / (…) nesting. Separators are tried longest first. */
export function splitTopLevel(text: string, separators: readonly string[], nest = true): string[] {
  const seps = [...separators].sort((a, b) => b.length - a.length)
  const out: string[] = []
  let cur = ''
  let quote: string | null = null
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      cur += c
      if (c === quote) quote = null
      continue
    }
    if (c === '"' || c === "'") {
      quote = c
      cur += c
      continue
    }
    if (nest && (c === '{' || c === '(')) depth++
    if (nest && (c === '}' || c === ')')) depth = Math.max(0, depth - 1)
    if (depth === 0) {
      const sep = seps.find((s) => text.startsWith(s, i))
      if (sep !== undefined) {
        out.push(cur)
        cur = ''
        i += sep.length - 1
        continue
      }
    }
    cur += c
  }
  out.push(cur)
  return out.map((s) => s.trim()).filter((s) => s.length > 0)
}

export interface Token {
  text: string
  /** How it was written: bare word, 'single' (literal) or "double" (expandable). */
  quote: 'none' | 'single' | 'double'
}

/** Split a command line into tokens, keeping track of quoting. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++
    if (i >= line.length) break
    const c = line[i]
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1)
      const stop = end < 0 ? line.length : end
      tokens.push({ text: line.slice(i + 1, stop), quote: c === '"' ? 'double' : 'single' })
      i = stop + 1
      continue
    }
    let j = i
    while (j < line.length && !/\s/.test(line[j])) j++
    tokens.push({ text: line.slice(i, j), quote: 'none' })
    i = j
  }
  return tokens
}

/** The numeric value of `-Name N` (case-insensitive, prefix allowed: -s, -sec…) or null. */
export function namedNumber(tokens: Token[], names: readonly string[]): number | null {
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i].text.toLowerCase()
    if (t.startsWith('-') && names.some((n) => n.startsWith(t.slice(1)) && t.length > 1)) {
      const v = Number(tokens[i + 1].text)
      if (Number.isFinite(v)) return v
    }
  }
  return null
}

/** The first token that is not a `-Parameter` (nor the value of one listed in `valued`). */
export function positional(tokens: Token[], valued: readonly string[] = []): Token[] {
  const out: Token[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t.quote === 'none' && t.text.startsWith('-') && t.text.length > 1 && !/^-\d/.test(t.text)) {
      if (valued.includes(t.text.slice(1).toLowerCase())) i++
      continue
    }
    out.push(t)
  }
  return out
}

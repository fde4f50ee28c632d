// fast-check generators of timestamp-like text for the isWireTimestamp / canonicalTime
// equivalence tests: near-valid field combinations, mutations of valid timestamps and
// random strings over the characters timestamps are made of.
import fc from 'fast-check'

const pad = (n: number, w: number) => String(n).padStart(w, '0')

// Years around every leap rule: 0 (Date.UTC reads 0–99 as 1900s), centuries, 400-multiples.
const year = fc.oneof(
  fc.constantFrom(0, 1, 4, 96, 99, 100, 400, 1900, 1970, 2000, 2023, 2024, 2100, 2400, 9999),
  fc.integer({ min: 0, max: 9999 }),
)
const twoDigitField = (max: number) => fc.oneof(fc.integer({ min: 0, max }).map((n) => pad(n, 2)), fc.constantFrom('0', '123', 'ab', ''))
const mostlyValid = (valid: fc.Arbitrary<string>, roaming: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: roaming })
const fraction = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)).map((d) => `.${d}`)) },
  { weight: 1, arbitrary: fc.constantFrom('.', '.1a', ',123') },
)
const zone = fc.oneof(
  { weight: 6, arbitrary: fc.constant('Z') },
  {
    weight: 4,
    arbitrary: fc.constantFrom('z', '', '+00:00', '-00:00', '+09:00', '-05:30', '+23:59', '+24:00', '+12:60', '+0900', 'ZZ', ' Z', 'Z '),
  },
)

/** Timestamps whose fields roam past their ranges: months 0–19, days 0–39, hours 0–29,
 *  minutes and seconds 0–69 (60 seconds included), 0–10 fractional digits, assorted zones. */
export const timestampLike = fc
  .record({
    y: year,
    mo: mostlyValid(fc.integer({ min: 1, max: 12 }).map((n) => pad(n, 2)), twoDigitField(19)),
    d: mostlyValid(fc.oneof(fc.constantFrom('28', '29', '30', '31'), fc.integer({ min: 1, max: 28 }).map((n) => pad(n, 2))), twoDigitField(39)),
    h: mostlyValid(fc.oneof(fc.constantFrom('00', '23'), fc.integer({ min: 0, max: 23 }).map((n) => pad(n, 2))), twoDigitField(29)),
    mi: mostlyValid(fc.oneof(fc.constantFrom('00', '59'), fc.integer({ min: 0, max: 59 }).map((n) => pad(n, 2))), twoDigitField(69)),
    s: mostlyValid(fc.oneof(fc.constantFrom('00', '59', '60'), fc.integer({ min: 0, max: 59 }).map((n) => pad(n, 2))), twoDigitField(69)),
    sep: fc.oneof({ weight: 12, arbitrary: fc.constant('T') }, { weight: 1, arbitrary: fc.constantFrom('t', ' ', 'X', '') }),
    dash: fc.oneof({ weight: 20, arbitrary: fc.constant('-') }, { weight: 1, arbitrary: fc.constantFrom('/', '') }),
    frac: fraction,
    zone,
  })
  .map(({ y, mo, d, h, mi, s, sep, dash, frac, zone }) => `${pad(y, 4)}${dash}${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}`)

/** Valid agent-form timestamps (`YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`) from real dates. */
export const agentTimestamp = fc
  .tuple(
    fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
  )
  .map(([d, frac]) => `${d.toISOString().slice(0, 19)}${frac === undefined ? '' : `.${frac}`}Z`)

const alphabet = fc.constantFrom(...'0123456789-:.+TtZz /'.split(''))

/** A valid timestamp with one to three characters replaced, inserted or deleted. */
export const mutatedTimestamp = fc
  .tuple(
    fc.oneof(agentTimestamp, timestampLike),
    fc.array(fc.tuple(fc.constantFrom('replace', 'insert', 'delete'), fc.nat(), alphabet), { minLength: 1, maxLength: 3 }),
  )
  .map(([text, edits]) => {
    let t = text
    for (const [kind, at, c] of edits) {
      const i = t.length === 0 ? 0 : at % t.length
      if (kind === 'replace') t = t.slice(0, i) + c + t.slice(i + 1)
      else if (kind === 'insert') t = t.slice(0, i) + c + t.slice(i)
      else t = t.slice(0, i) + t.slice(i + 1)
    }
    return t
  })

/** Random strings over the timestamp alphabet, around timestamp length. */
export const timestampAlphabetString = fc.array(alphabet, { minLength: 0, maxLength: 34 }).map((cs) => cs.join(''))

/** Every generator above, mixed. */
export const anyTimestampText = fc.oneof(timestampLike, agentTimestamp, mutatedTimestamp, timestampAlphabetString)

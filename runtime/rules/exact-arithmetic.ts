import Big from 'big.js'

/**
 * Decimal arithmetic for json-logic's `+ - * /` and the `round` operator. Binary floats turn
 * 4800 × 1.13 into 5423.999999999999; here each operand is taken as the decimal its shortest
 * text shows (0.1 is 0.1) and the result is exact, then handed back as the nearest number, so
 * chains of sums and products of money stay exact for up to 15 significant digits.
 * Inputs json-logic would not read as finite numbers keep json-logic's own answer (NaN, null…).
 * Browser-safe (big.js is plain JavaScript).
 */

/** Digits kept after the point by a division that does not end (1 / 3). */
const DIVISION_PLACES = 20
/** Largest `digits` round accepts (PostgreSQL numeric allows more; money needs 2). */
export const MAX_ROUND_DIGITS = 10

type Coerce = (value: unknown) => number

// json-logic's `+` and `*` read operands with parseFloat; `-` and `/` with JavaScript's coercion.
const parse: Coerce = (value) => parseFloat(value as string)
const coerce: Coerce = (value) => Number(value)

function toBig(value: unknown, read: Coerce): Big | null {
  const n = typeof value === 'number' ? value : read(value)
  return Number.isFinite(n) ? new Big(n) : null
}

function allBig(args: unknown[], read: Coerce): Big[] | null {
  const out: Big[] = []
  for (const arg of args) {
    const b = toBig(arg, read)
    if (!b) return null
    out.push(b)
  }
  return out
}

/** `+`: sum of the operands (one operand: its number). */
export function exactAdd(...args: unknown[]): number {
  const bigs = allBig(args, parse)
  if (!bigs) return args.reduce<number>((a, b) => a + parse(b), 0)
  return bigs.reduce((a, b) => a.plus(b), new Big(0)).toNumber()
}

/** `*`: product of the operands. */
export function exactMultiply(...args: unknown[]): number {
  const bigs = allBig(args, parse)
  if (!bigs || !bigs.length) return args.map(parse).reduce((a, b) => a * b)
  return bigs.reduce((a, b) => a.times(b)).toNumber()
}

/** `-`: a − b, or −a with one operand. */
export function exactSubtract(a: unknown, b?: unknown): number {
  const args = b === undefined ? [a] : [a, b]
  const bigs = allBig(args, coerce)
  if (!bigs) return b === undefined ? -coerce(a) : coerce(a) - coerce(b)
  return (bigs.length === 1 ? bigs[0].neg() : bigs[0].minus(bigs[1])).toNumber()
}

/** `/`: a ÷ b to 20 places; a zero divisor keeps JavaScript's Infinity / NaN (formulas then store null). */
export function exactDivide(a: unknown, b: unknown): number {
  const bigs = allBig([a, b], coerce)
  if (!bigs || bigs[1].eq(0)) return coerce(a) / coerce(b)
  return bigs[0].div(bigs[1]).round(DIVISION_PLACES, Big.roundHalfUp).toNumber()
}

/**
 * round [x, digits?] → x rounded half away from zero (as PostgreSQL's round on numeric) to
 * `digits` places (0–10, default 0); null when x is not a number.
 */
export function roundHalfUp(value: unknown, digits: unknown = 0): number | null {
  if (value === null || value === undefined || value === '') return null
  const places = Number(digits)
  if (!Number.isInteger(places) || places < 0 || places > MAX_ROUND_DIGITS) return null
  const b = toBig(value, coerce)
  return b ? b.round(places, Big.roundHalfUp).toNumber() : null
}

/** The operators that replace json-logic's float arithmetic, by name. */
export const EXACT_ARITHMETIC: Record<string, (...args: unknown[]) => unknown> = {
  '+': exactAdd,
  '*': exactMultiply,
  '-': (a, b) => exactSubtract(a, b),
  '/': (a, b) => exactDivide(a, b),
}

import type { Field } from '../../metadata/field'
import type { Rng } from './fuzz-random'

/** A JSON token written into the body as is (`1e999` parses to Infinity, which JSON cannot say). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson tokens. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`
  if (value && typeof value === 'object') {
    const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Dates at and past the ends of what JavaScript and PostgreSQL can hold. */
export const EXTREME_DATES: readonly string[] = [
  '+275760-09-13T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13',
  '+010000-01-01',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '-000001-01-01',
  '294277-01-01T00:00:00Z',
]

/** Strings an attacker would try in names, values and sort keys. */
export const ATTACK_STRINGS: readonly string[] = [
  'name; drop table customer; --',
  "' or 1=1 --",
  '" or ""="',
  '"',
  "'",
  '\\',
  '`',
  '$1',
  '$$',
  '%',
  '_',
  '\u0000',
  'a\u0000b',
  '\u0001\u001f',
  '\ud800',
  '\uffff',
  '😀👨‍👩‍👧',
  'İıß',
  'ＮＡＭＥ',
  'مرحبا',
  'e\u0301',
  '__proto__',
  'constructor',
  'toString',
  'a.b.c',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{{constructor.constructor}}',
  '',
  ' ',
  'x'.repeat(5000),
  '+275760-09-13T00:00:00Z',
  '-271821-04-20',
]

/** A well-formed uuid that no record has. */
export function missingUuid(rng: Rng): string {
  const hex = () => rng.int(0, 0xffff).toString(16).padStart(4, '0')
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-8${hex().slice(1)}-${hex()}${hex()}${hex()}`
}

const TEXT_LIMIT: Record<string, number> = {
  text: 255,
  longText: 100000,
  richText: 100000,
  email: 255,
  url: 2048,
  phone: 40,
}

/** Arrays nested `depth` deep, as raw JSON (building them as values would overflow stacks). */
export function deepJson(depth: number): RawJson {
  return new RawJson('['.repeat(depth) + ']'.repeat(depth))
}

const SHAPES: readonly unknown[] = [
  deepJson(100000),
  { a: { b: 1 } },
  [1, [2]],
  { $gt: 1 },
  [{ '': null }],
]

/**
 * A value the field certainly refuses (for a field that may be null): the wrong JSON type, out of
 * range, malformed, too long, with NUL, or naming a record that does not exist (`dbOnly` values
 * pass the schema and fail in the database).
 */
export function invalidValue(rng: Rng, field: Field): unknown {
  if (field.readOnly || field.type === 'autoNumber' || field.type === 'formula') {
    return rng.pick(['X-1', 42, { a: 1 }, true, ['x']])
  }
  if (field.type !== 'json' && rng.chance(0.08)) return rng.pick(SHAPES)
  const options = (field.options ?? []).map((o) => o.value)
  const opt = options[0] ?? 'x'
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'email':
    case 'url':
    case 'phone': {
      const max = field.maxLength ?? TEXT_LIMIT[field.type]
      const own: unknown[] = {
        email: ['not-an-email', 'a@', '@b.c', 'a b@c.d'],
        url: ['javascript:alert(1)', 'ftp://x.y', 'http://', 'http://a b'],
        phone: ['abc', '12', '+1-555-ABC'],
      }[field.type as string] ?? ['x'.repeat(max + 1)]
      return rng.pick([
        ...own,
        42,
        -1.5,
        new RawJson('1e999'),
        true,
        {},
        ['a'],
        'x'.repeat(max + rng.int(1, 50)),
        '名'.repeat(max + 1),
        'abc\u0000def',
        '\u0000',
      ])
    }
    case 'integer':
      return rng.pick([
        '12',
        1.5,
        2147483648,
        -2147483649,
        new RawJson('1e999'),
        new RawJson('-1e999'),
        new RawJson('1' + '0'.repeat(40)),
        true,
        {},
        [],
        'NaN',
        'Infinity',
        ...(field.min !== undefined ? [field.min - 1] : []),
        ...(field.max !== undefined ? [field.max + 1] : []),
      ])
    case 'decimal':
    case 'percent':
      return rng.pick([
        '1.5',
        true,
        {},
        [1],
        new RawJson('1e999'),
        1e300,
        -1e300,
        'NaN',
        '-Infinity',
        ...(field.min !== undefined ? [field.min - 1] : []),
        ...(field.max !== undefined ? [field.max + 1] : []),
      ])
    case 'money':
      return rng.pick([
        100,
        '100 CNY',
        { amount: '100' },
        { amount: 1, currency: 'cny' },
        { amount: 1, currency: 'CNYY' },
        { amount: 1, currency: 5 },
        { amount: 1, currency: null },
        { currency: 'CNY' },
        { amount: 1, extra: true },
        { amount: new RawJson('1e999') },
        { amount: 1e17 },
        { amount: null },
        ...(field.min !== undefined ? [{ amount: field.min - 1 }] : []),
        ...(field.currency ? [] : [{ amount: 1 }]),
        [],
        true,
      ])
    case 'boolean':
      return rng.pick(['true', 'false', 1, 0, 'yes', {}, [], ''])
    case 'date':
      return rng.pick([
        '2024-02-30',
        '2023-02-29',
        '2024-13-01',
        '20240101',
        '2024-1-1',
        'yesterday',
        'today',
        20240101,
        '2024-01-01T00:00:00Z',
        '',
        '0000-01-01',
        ' 2024-01-01',
        '2024-01-01\u0000',
        ...EXTREME_DATES,
        {},
        true,
      ])
    case 'datetime':
      return rng.pick([
        '2024-01-01',
        '2024-01-01T25:00:00Z',
        'now',
        1700000000000,
        '2024-06-30T23:59:60Z',
        '0000-01-01T00:00:00Z',
        '2024-01-01T00:00:00',
        '2024-13-01T00:00:00Z',
        '2024-01-01T00:00:00+25:00',
        '',
        ...EXTREME_DATES.filter((d) => d.includes('T') && !d.startsWith('9999')),
        '2024-01-01T00:00:00Z\u0000',
        {},
        false,
      ])
    case 'select':
      return rng.pick([
        'nope',
        '',
        1,
        true,
        {},
        [opt],
        opt.toUpperCase() + '_',
        `${opt} `,
        '\u0000',
      ])
    case 'multiSelect':
      return rng.pick([opt, ['nope'], [opt, opt], [1], [null], {}, true, [[opt]], ['\u0000']])
    case 'reference':
    case 'user':
    case 'department': {
      const id = missingUuid(rng)
      return rng.pick([
        'not-a-uuid',
        123,
        { id },
        [id],
        `${id} `,
        id.replace(/-/g, ''),
        `${id.slice(0, 35)}g`,
        "' or 1=1 --",
        '',
        id,
        id,
      ])
    }
    case 'attachment':
      return rng.pick([
        'file.pdf',
        { name: 'a' },
        { url: 'http://x.y/a' },
        { name: '', url: 'http://x.y/a' },
        { name: 'a', url: 'http://x.y/a', extra: 1 },
        { name: 'a', url: 'http://x.y/a', size: -1 },
        { name: 'a', url: 'http://x.y/a', size: '1' },
        { name: 'a\u0000', url: 'http://x.y/a' },
        { id: '../../etc/passwd' },
        { id: "' or 1=1 --" },
        { id: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10' },
        { id: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10', size: -1 },
        [],
        42,
      ])
    case 'attachments':
      return rng.pick([
        {},
        'x',
        [1],
        [{}],
        [null],
        [{ id: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10' }],
        Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, url: `http://x.y/${i}` })),
      ])
    case 'json':
      return rng.pick([
        '\u0000',
        { a: 'x\u0000' },
        ['\u0000'],
        { '\u0000key': 1 },
        deepJson(101),
        deepJson(100000),
      ])
    case 'childTable':
      return rng.pick(['x', {}, 42, true, [null], [1], ['row'], [[]], [{ zzz: 1 }]])
    default:
      return { unexpected: field.type }
  }
}

/** Values a required field refuses besides the invalid ones. */
export function emptyValue(rng: Rng): unknown {
  return rng.pick([null, '', '   ', []])
}

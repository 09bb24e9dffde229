import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import type { Field, FieldType } from '../../metadata/field'
import { FIELD_TYPES } from '../../metadata/field'
import { fieldSchema, hasValueSchema, STORABLE_JSON } from '../../runtime/records'
import { loadSeedBundle } from '../../seeds/load-seed-packages'
import { toFieldSchema } from './field-schema'

const label = { en: 'X' }
const options = [
  { value: 'a', label },
  { value: 'b', label },
]

/** One good and one bad value per type, following the value conventions. */
const SAMPLES: Record<FieldType, { field?: Partial<Field>; good: unknown; bad: unknown }> = {
  text: { field: { maxLength: 3 }, good: 'abc', bad: 'abcd' },
  longText: { good: 'long', bad: 1 },
  richText: { good: '<p>x</p>', bad: true },
  integer: { field: { min: 0 }, good: 3, bad: 1.5 },
  decimal: { good: 1.25, bad: '1.25' },
  money: { good: { amount: 10.5, currency: 'CNY' }, bad: { amount: 10.5, currency: 'yuan' } },
  percent: { good: 12.5, bad: '12%' },
  boolean: { good: false, bad: 'false' },
  date: { good: '2026-01-31', bad: '2026-13-01' },
  datetime: { good: '2026-01-31T10:00:00.000Z', bad: '2026-01-31' },
  select: { field: { options }, good: 'a', bad: 'c' },
  multiSelect: { field: { options }, good: ['a', 'b'], bad: ['a', 'a'] },
  reference: {
    field: { entity: 'other' },
    good: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10',
    bad: 'nope',
  },
  childTable: { field: { entity: 'line' }, good: [], bad: null },
  user: { good: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10', bad: 42 },
  department: { good: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10', bad: 'sales' },
  email: { good: 'a@b.co', bad: 'not-mail' },
  phone: { good: '+86 10 1234 5678', bad: 10 },
  url: { good: 'https://example.com', bad: 5 },
  attachment: {
    good: { id: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10', name: 'a.pdf', size: 3 },
    bad: { name: 'a.pdf' },
  },
  attachments: {
    good: [{ id: '2f1c6a52-8d8e-4a59-9c43-2b7a3f6f2a10' }],
    bad: [{ id: '../../etc/passwd' }],
  },
  autoNumber: { good: 'Q-2026-0001', bad: 1 },
  formula: { field: { resultType: 'number' }, good: 3, bad: 'x' },
  json: { good: { any: ['thing'] }, bad: undefined },
}

describe('field schemas', () => {
  const ajv = new Ajv2020({ strict: true })
  addFormats.default(ajv)
  ajv.addSchema({ $id: 'https://t.test/c', $defs: { LineInput: { type: 'object' } } })

  it.each(FIELD_TYPES.map((t) => [t]))('describes %s values per the value conventions', (type) => {
    const sample = SAMPLES[type]
    const field = { name: 'f', type, label, ...sample.field } as Field
    const schema = JSON.parse(
      JSON.stringify(toFieldSchema(field, 'Input')).replaceAll(
        '#/components/schemas/',
        'https://t.test/c#/$defs/',
      ),
    )
    const validate = ajv.compile(schema)
    expect(validate(sample.good), JSON.stringify(validate.errors)).toBe(true)
    if (sample.bad !== undefined) expect(validate(sample.bad)).toBe(false)
    if (type !== 'childTable' && type !== 'json') expect(validate(null)).toBe(true)
  })

  it('marks computed fields read-only', () => {
    expect(toFieldSchema({ name: 'n', type: 'autoNumber', label }, 'Record').readOnly).toBe(true)
  })
})

/** A schema without what OpenAPI adds to describe it (label, help, read-only, default currency). */
function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations)
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value))
    if (!['title', 'description', 'readOnly', 'default'].includes(key))
      out[key] = withoutAnnotations(v)
  return out
}

describe('OpenAPI field schemas and the validator', () => {
  const fields = loadSeedBundle().entities.flatMap((e) =>
    e.fields.filter(hasValueSchema).map((f) => [`${e.id}.${f.name} (${f.type})`, f] as const),
  )

  it('cover every validated field type of the shipped entities', () => {
    const types = new Set(fields.map(([, f]) => f.type))
    for (const type of ['text', 'phone', 'email', 'money', 'select', 'reference', 'json'])
      expect(types).toContain(type)
  })

  it.each(fields)('%s: OpenAPI shows the schema the validator checks', (_name, field) => {
    const validator = JSON.parse(
      JSON.stringify(fieldSchema(field), (k, v: unknown) => (k === STORABLE_JSON ? undefined : v)),
    )
    expect(withoutAnnotations(toFieldSchema(field, 'Input'))).toEqual(validator)
    expect(withoutAnnotations(toFieldSchema(field, 'Record'))).toEqual(validator)
  })

  it('gives a phone number the validator’s length and pattern', () => {
    const phone = toFieldSchema({ name: 'p', type: 'phone', label }, 'Input')
    expect(phone).toMatchObject({ maxLength: 40, pattern: expect.stringContaining('[0-9') })
  })
})

import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import type { Field, FieldType } from '../../metadata/field'
import { FIELD_TYPES } from '../../metadata/field'
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
  attachment: { good: { name: 'a.pdf', url: '/files/a.pdf', size: 3 }, bad: { name: 'a.pdf' } },
  attachments: { good: [{ name: 'a.pdf', url: '/f/a' }], bad: [{ url: '/f/a' }] },
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

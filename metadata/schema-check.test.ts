import { describe, expect, it } from 'vitest'
import { schemaFor } from './schema-check'

interface Sample {
  name: string
  size?: number
  tags: string[]
}

// Each `@ts-expect-error` below is checked by `tsc`: if the mismatch stopped being an error,
// the directive itself would fail the type-check.
describe('schemaFor', () => {
  it('returns the schema when it describes the type exactly', () => {
    const schema = schemaFor<Sample>()({
      type: 'object',
      properties: {
        name: { type: 'string' },
        size: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'tags'],
      additionalProperties: false,
    })
    expect(schema.required).toEqual(['name', 'tags'])
  })

  it('is a compile error when the schema and the type disagree', () => {
    const check = schemaFor<Sample>()
    const properties = {
      name: { type: 'string' },
      size: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
    } as const
    const base = { type: 'object', additionalProperties: false } as const
    // @ts-expect-error a required property is missing from `required`
    check({ ...base, properties, required: ['name'] })
    // @ts-expect-error an optional property is listed as required
    check({ ...base, properties, required: ['name', 'tags', 'size'] })
    const extra = { ...properties, colour: { type: 'string' } } as const
    const fewer = { name: properties.name, tags: properties.tags } as const
    const wrong = { ...properties, name: { type: 'integer' } } as const
    // @ts-expect-error a property the type does not have
    check({ ...base, properties: extra, required: ['name', 'tags'] })
    // @ts-expect-error a property of the type is missing from the schema
    check({ ...base, properties: fewer, required: ['name', 'tags'] })
    // @ts-expect-error the JSON type does not match the TypeScript type
    check({ ...base, properties: wrong, required: ['name', 'tags'] })
    expect(true).toBe(true)
  })
})

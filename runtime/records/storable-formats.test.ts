import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { buildRecordSchema, compileRecordValidator, createAjv } from './record-validator'
import {
  isStorableDate,
  isStorableDateTime,
  isStorableJson,
  MAX_JSON_DEPTH,
} from './storable-formats'

const deep = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

const event: Entity = {
  id: 'event',
  label: { en: 'Event' },
  fields: [
    { name: 'on', type: 'date', label: { en: 'On' } },
    { name: 'at', type: 'datetime', label: { en: 'At' } },
    { name: 'data', type: 'json', label: { en: 'Data' } },
  ],
}

describe('storable formats', () => {
  it('refuses the year 0000, which PostgreSQL has not', () => {
    expect(isStorableDate('0000-01-01')).toBe(false)
    expect(isStorableDate('0001-01-01')).toBe(true)
    expect(isStorableDate('9999-12-31')).toBe(true)
  })

  it('refuses datetimes JS Date cannot hold or that leave years 0001–9999 after their offset', () => {
    expect(isStorableDateTime('2024-06-30T23:59:60Z')).toBe(false)
    expect(isStorableDateTime('0000-01-01T00:00:00Z')).toBe(false)
    expect(isStorableDateTime('0001-01-01T00:00:00+01:00')).toBe(false)
    expect(isStorableDateTime('9999-12-31T23:59:59-01:00')).toBe(false)
    expect(isStorableDateTime('2024-06-30T23:59:59.123456+08:00')).toBe(true)
  })

  it('refuses JSON holding NUL in a string or key, or nested too deep', () => {
    expect(isStorableJson({ a: ['x', { b: 'ok' }] })).toBe(true)
    expect(isStorableJson({ a: ['x\u0000'] })).toBe(false)
    expect(isStorableJson({ '\u0000': 1 })).toBe(false)
    expect(isStorableJson(deep(MAX_JSON_DEPTH))).toBe(true)
    expect(isStorableJson(deep(MAX_JSON_DEPTH + 1))).toBe(false)
    expect(isStorableJson(deep(100_000))).toBe(false)
  })

  it('makes the record validator name the field instead of failing in the database', () => {
    const validate = compileRecordValidator(
      createAjv(),
      buildRecordSchema(event, () => undefined),
    )
    expect(validate({ on: '2024-02-29', at: '2024-06-30T23:59:59Z', data: { a: 1 } })).toEqual([])
    const issues = validate({ on: '0000-01-01', at: '2024-06-30T23:59:60Z', data: ['\u0000'] })
    expect(issues.map((i) => i.path).sort()).toEqual(['at', 'data', 'on'])
  })
})

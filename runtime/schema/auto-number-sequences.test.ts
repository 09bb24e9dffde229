import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import {
  autoNumberSequenceName,
  isSequentialAutoNumber,
  planSequenceSteps,
} from './auto-number-sequences'

const label = { en: 'x' }
const entity = (pattern: string, name = 'code'): Entity => ({
  id: 'salesOrder',
  label,
  fields: [{ id: 'code', name, type: 'autoNumber', pattern, label }],
})
const kinds = (applied: Entity[], next: Entity[], existing?: string[]) =>
  planSequenceSteps(applied, next, existing).map((s) => `${s.kind} ${s.description.split(' ')[3]}`)

describe('auto-number sequences', () => {
  it('uses a sequence only for patterns without date tokens', () => {
    expect(isSequentialAutoNumber(entity('SO-{#####}').fields[0])).toBe(true)
    expect(isSequentialAutoNumber(entity('SO-{YYMM}-{###}').fields[0])).toBe(false)
    expect(isSequentialAutoNumber({ name: 'n', type: 'autoNumber', label })).toBe(true)
    expect(isSequentialAutoNumber({ name: 'n', type: 'text', label })).toBe(false)
  })

  it('names the sequence after table and column', () => {
    expect(autoNumberSequenceName({ id: 'salesOrder' }, { name: 'orderNo' })).toBe(
      'sales_order_order_no_seq',
    )
  })

  it('creates, renames and drops sequences as the metadata changes', () => {
    expect(kinds([], [entity('{####}')])).toEqual(['createSequence sales_order_code_seq'])
    expect(kinds([entity('{####}')], [entity('{####}', 'ref')])).toEqual([
      'renameSequence sales_order_code_seq',
    ])
    expect(kinds([entity('{####}')], [entity('{YYYY}{####}')])).toEqual([
      'dropSequence sales_order_code_seq',
    ])
    expect(kinds([entity('{####}')], [])).toEqual(['dropSequence sales_order_code_seq'])
    expect(kinds([entity('{####}')], [entity('A-{####}')])).toEqual([])
  })

  it('creates a sequence the database lacks even when the metadata did not change', () => {
    expect(kinds([entity('{####}')], [entity('{####}')], [])).toEqual([
      'createSequence sales_order_code_seq',
    ])
    expect(kinds([entity('{####}')], [entity('{####}', 'ref')], [])).toEqual([
      'createSequence sales_order_ref_seq',
    ])
  })
})

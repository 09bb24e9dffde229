import { describe, expect, it } from 'vitest'
import type { Entity } from '$metadata/entity'
import {
  isEmptyValue,
  isLabelRepeated,
  toChanges,
  toNewRecord,
  toPayload,
  toRenderedForm,
  toShownSections,
} from './form-layout'

const entity: Entity = {
  id: 'order',
  label: { en: 'Order' },
  fields: [
    { name: 'number', type: 'autoNumber', label: { en: 'No.' }, pattern: 'O-{####}' },
    { name: 'customer', type: 'reference', label: { en: 'Customer' }, entity: 'customer' },
    { name: 'status', type: 'select', label: { en: 'Status' }, default: 'draft' },
    { name: 'lines', type: 'childTable', label: { en: 'Lines' }, entity: 'orderLine' },
  ],
}

describe('form layout helpers', () => {
  it('renders every field when no form is published', () => {
    const form = toRenderedForm(entity, undefined)
    expect(form.tabs[0].sections[0].fields.map((f) => f.field)).toEqual([
      'number',
      'customer',
      'status',
      'lines',
    ])
  })

  it('starts a new record from defaults and address values', () => {
    const record = toNewRecord(entity, new URLSearchParams('customer=c1'))
    expect(record).toEqual({ number: null, customer: 'c1', status: 'draft', lines: [] })
  })

  it("fills dynamic defaults as the server would: now, the reader's day, the reader", () => {
    const dated: Entity = {
      id: 'quote',
      label: { en: 'Quote' },
      fields: [
        { name: 'on', type: 'date', label: { en: 'On' }, default: { dynamic: 'today' } },
        { name: 'at', type: 'datetime', label: { en: 'At' }, default: { dynamic: 'now' } },
        {
          name: 'owner',
          type: 'user',
          label: { en: 'Owner' },
          default: { dynamic: 'currentUser' },
        },
      ],
    }
    const now = new Date(2026, 11, 6, 23, 30)
    const record = toNewRecord(dated, new URLSearchParams(), { userId: 'u1', now })
    expect(record).toEqual({ on: '2026-12-06', at: now.toISOString(), owner: 'u1' })
    expect(toNewRecord(dated, new URLSearchParams()).owner).toBeNull()
  })

  it('leaves computed fields and child-row system keys out of the payload', () => {
    const payload = toPayload(entity, {
      id: 'o1',
      number: 'O-0001',
      customer: 'c1',
      lines: [{ id: 'l1', parentId: 'o1', position: 0, version: 1, quantity: 2 }],
    })
    expect(payload).toEqual({ customer: 'c1', lines: [{ id: 'l1', quantity: 2 }] })
    // A latestFrom field the form shows before saving (a leave's department) is the server's.
    const leave: Entity = {
      id: 'leaveRequest',
      label: { en: 'Leave' },
      fields: [
        { name: 'applicant', type: 'user', label: { en: 'Applicant' } },
        {
          name: 'department',
          type: 'department',
          label: { en: 'Department' },
          readOnly: true,
          latestFrom: { entity: 'employee', field: 'department', match: { account: 'applicant' } },
        },
      ],
    }
    expect(toPayload(leave, { applicant: 'u1', department: 'd1' })).toEqual({ applicant: 'u1' })
  })

  it('sends only what changed', () => {
    expect(toChanges({ a: 1, b: [1], c: null }, { a: 1, b: [1, 2], c: undefined })).toEqual({
      b: [1, 2],
    })
  })

  it('treats blank text, empty lists and money without amount as empty', () => {
    const text = entity.fields[1]
    expect(isEmptyValue(text, '  ')).toBe(true)
    expect(isEmptyValue(text, [])).toBe(true)
    expect(isEmptyValue({ ...text, type: 'money' }, { amount: null, currency: 'CNY' })).toBe(true)
    expect(isEmptyValue(text, 0)).toBe(false)
  })
})

describe('the sections a form shows', () => {
  const sections = [
    { id: 'basic', fields: [{ field: 'subject' }, { field: 'status' }] },
    { id: 'resolution', fields: [{ field: 'resolvedAt' }, { field: 'resolution' }] },
    { id: 'stale', fields: [{ field: 'gone' }] },
  ]
  const known = new Set(['subject', 'status', 'resolvedAt', 'resolution'])

  it('leaves out a section whose fields are all hidden, or all unknown to the entity', () => {
    const states = {
      subject: { visible: true },
      status: { visible: false },
      resolvedAt: { visible: false },
      resolution: { visible: false },
      gone: { visible: true },
    }
    expect(toShownSections(sections, states, known).map((s) => s.id)).toEqual(['basic'])
  })

  it('shows a section as soon as one of its fields is visible', () => {
    const states = { subject: { visible: true }, resolution: { visible: true } }
    expect(toShownSections(sections, states, known).map((s) => s.id)).toEqual([
      'basic',
      'resolution',
    ])
  })
})

describe('a field label that repeats its section', () => {
  const lines = { label: { en: 'Lines', 'zh-CN': '明细', ko: '품목' } }
  const section = { label: lines.label, fields: [{ field: 'lines' }] }

  it('is the only field of a section named as it is, in the reader’s language', () => {
    expect(isLabelRepeated(section, lines, 'en')).toBe(true)
    expect(isLabelRepeated(section, lines, 'ko')).toBe(true)
  })

  it('is not when the section holds more, names it otherwise, or has no legend', () => {
    expect(
      isLabelRepeated({ ...section, fields: [{ field: 'lines' }, { field: 'x' }] }, lines, 'en'),
    ).toBe(false)
    expect(isLabelRepeated({ ...section, label: { en: 'Items' } }, lines, 'en')).toBe(false)
    expect(isLabelRepeated({ fields: section.fields }, lines, 'en')).toBe(false)
  })
})

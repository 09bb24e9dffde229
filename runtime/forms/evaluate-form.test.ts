import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Form } from '../../metadata/form'
import type { CurrentUser } from '../context'
import { evaluateFormState } from './index'

const entity: Entity = {
  id: 'customer',
  label: { en: 'Customer' },
  fields: [
    { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { name: 'level', type: 'select', label: { en: 'Level' } },
    { name: 'region', type: 'text', label: { en: 'Region' } },
    { name: 'notes', type: 'longText', label: { en: 'Notes' } },
    { name: 'code', type: 'autoNumber', label: { en: 'Code' }, pattern: 'C-{####}' },
    { name: 'score', type: 'formula', label: { en: 'Score' }, formula: 1 },
    { name: 'legacyId', type: 'text', label: { en: 'Legacy id' }, readOnly: true },
    { name: 'lines', type: 'childTable', label: { en: 'Lines' }, entity: 'customerLine' },
  ],
}

const form: Form = {
  id: 'customer-form',
  entity: 'customer',
  label: { en: 'Customer' },
  tabs: [
    {
      id: 'main',
      label: { en: 'Main' },
      sections: [
        {
          id: 's1',
          fields: [
            { field: 'name', readOnly: { '!': { var: '$user.isAdmin' } } },
            { field: 'level' },
            { field: 'region', required: { '==': [{ var: 'level' }, 'A'] } },
            { field: 'notes', visible: { '!=': [{ var: 'level' }, 'C'] } },
            { field: 'lines', visible: { var: 'lines' } },
          ],
        },
      ],
    },
  ],
}

const admin: CurrentUser = {
  id: 'u1',
  username: 'admin',
  displayName: 'Admin',
  locale: 'en',
  isAdmin: true,
}

describe('evaluateFormState', () => {
  it('returns one entry per entity field, child tables included', () => {
    const state = evaluateFormState(entity, form, {}, admin)
    expect(Object.keys(state)).toEqual(entity.fields.map((f) => f.name))
  })

  it('keeps field-level required and read-only without a form', () => {
    const state = evaluateFormState(entity, undefined, {}, null)
    expect(state.name).toEqual({ visible: true, required: true, readOnly: false })
    expect(state.legacyId.readOnly).toBe(true)
    expect(state.region).toEqual({ visible: true, required: false, readOnly: false })
  })

  it('makes auto-number and formula fields read-only', () => {
    const state = evaluateFormState(entity, form, {}, admin)
    expect(state.code.readOnly).toBe(true)
    expect(state.score.readOnly).toBe(true)
  })

  it('requires a field when its required rule holds for the record', () => {
    expect(evaluateFormState(entity, form, { level: 'A' }, admin).region.required).toBe(true)
    expect(evaluateFormState(entity, form, { level: 'B' }, admin).region.required).toBe(false)
  })

  it('hides a field when its visible rule fails', () => {
    expect(evaluateFormState(entity, form, { level: 'C' }, admin).notes.visible).toBe(false)
    expect(evaluateFormState(entity, form, { level: 'A' }, admin).notes.visible).toBe(true)
  })

  it('reads the current user as $user in rules', () => {
    expect(evaluateFormState(entity, form, {}, admin).name.readOnly).toBe(false)
    const clerk = { ...admin, isAdmin: false }
    expect(evaluateFormState(entity, form, {}, clerk).name.readOnly).toBe(true)
    expect(evaluateFormState(entity, form, {}, null).name.readOnly).toBe(true)
  })

  it('treats an empty array as false, like json-logic', () => {
    expect(evaluateFormState(entity, form, { lines: [] }, admin).lines.visible).toBe(false)
    expect(evaluateFormState(entity, form, { lines: [{}] }, admin).lines.visible).toBe(true)
  })

  it('cannot be tricked by a record key named $user', () => {
    const state = evaluateFormState(entity, form, { $user: { isAdmin: true } }, null)
    expect(state.name.readOnly).toBe(true)
  })
})

describe('evaluateFormState with dates', () => {
  it('reads today from the injected clock', () => {
    const dated: Form = {
      ...form,
      tabs: [
        {
          id: 'main',
          label: { en: 'Main' },
          sections: [
            {
              id: 's',
              fields: [{ field: 'notes', visible: { '>': [{ today: [] }, '2030-01-01'] } }],
            },
          ],
        },
      ],
    }
    const later = evaluateFormState(entity, dated, {}, admin, {
      now: new Date('2031-06-01T00:00:00Z'),
    })
    const earlier = evaluateFormState(entity, dated, {}, admin, {
      now: new Date('2029-06-01T00:00:00Z'),
    })
    expect(later.notes.visible).toBe(true)
    expect(earlier.notes.visible).toBe(false)
  })
})

describe('evaluateFormState against the stored record', () => {
  const locking: Form = {
    ...form,
    tabs: [
      {
        id: 'main',
        label: { en: 'Main' },
        sections: [
          { id: 's', fields: [{ field: 'notes', readOnly: { '==': [{ var: 'level' }, 'C'] } }] },
        ],
      },
    ],
  }

  it('locks nothing on a new record', () => {
    const state = evaluateFormState(entity, locking, { level: 'C' }, admin, { stored: null })
    expect(state.notes.readOnly).toBe(false)
  })

  it('locks a field only while the rule holds before and after the edit', () => {
    const stored = { level: 'C', notes: 'x' }
    expect(
      evaluateFormState(entity, locking, { level: 'C' }, admin, { stored }).notes.readOnly,
    ).toBe(true)
    expect(
      evaluateFormState(entity, locking, { level: 'B' }, admin, { stored }).notes.readOnly,
    ).toBe(false)
    expect(
      evaluateFormState(entity, locking, { level: 'C' }, admin, { stored: { level: 'A' } }).notes
        .readOnly,
    ).toBe(false)
  })

  it('judges the edited record alone when no stored record is given', () => {
    expect(evaluateFormState(entity, locking, { level: 'C' }, admin).notes.readOnly).toBe(true)
  })
})

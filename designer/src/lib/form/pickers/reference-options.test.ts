import type { Entity } from '$metadata/entity'
import { describe, expect, it } from 'vitest'
import { hitOption, recordOption, subtitleOf } from './reference-options'

const product: Entity = {
  id: 'product',
  label: { en: 'Product' },
  titleField: 'name',
  subtitleFields: ['code', 'spec', 'unit'],
  fields: [
    { name: 'code', type: 'text', label: { en: 'Code' } },
    { name: 'name', type: 'text', label: { en: 'Name' } },
    { name: 'spec', type: 'text', label: { en: 'Spec' } },
    {
      name: 'unit',
      type: 'select',
      label: { en: 'Unit' },
      options: [{ value: 'set', label: { en: 'Set', 'zh-CN': '套' } }],
    },
  ],
}

describe('reference picker options', () => {
  it('shows the subtitle fields on a second line, select labels in the locale, blanks left out', () => {
    expect(subtitleOf(product, { code: 'P10001', spec: 'TR-100 24V', unit: 'set' }, 'zh-CN')).toBe(
      'P10001 · TR-100 24V · 套',
    )
    expect(subtitleOf(product, { code: 'P10002', spec: null }, 'en')).toBe('P10002')
    expect(subtitleOf({ ...product, subtitleFields: undefined }, { code: 'P1' }, 'en')).toBe('')
  })

  it('tells two records with one title apart, from the list and from search', () => {
    const a = recordOption(
      product,
      { id: 'a', name: '工业控制器', code: 'P10001', spec: '24V' },
      'en',
    )
    const b = hitOption(
      product,
      { id: 'b', title: '工业控制器', subtitle: { code: 'P10017', spec: 'IP65', unit: null } },
      'en',
    )
    expect([a.label, b.label]).toEqual(['工业控制器', '工业控制器'])
    expect([a.detail, b.detail]).toEqual(['P10001 · 24V', 'P10017 · IP65'])
  })

  it('falls back to the id when the title is empty', () => {
    expect(recordOption(product, { id: 'x', name: '' }, 'en')).toEqual({ id: 'x', label: 'x' })
  })
})

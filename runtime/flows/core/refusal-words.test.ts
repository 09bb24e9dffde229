import { describe, expect, it } from 'vitest'
import type { Entity } from '../../../metadata/entity'
import type { Flow } from '../../../metadata/flow'
import { LOCALES } from '../../../metadata/labels'
import { REFUSAL_TEXTS } from './refusal-texts'
import { refusalWords } from './refusal-words'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

const flow = {
  id: 'dealFlow',
  label: { en: 'Deal flow', 'zh-CN': '商机流程', ko: '영업 흐름' },
  entity: 'deal',
  stateField: 'stage',
  states: [{ id: 'open' }, { id: 'lost', label: { en: 'Lost', 'zh-CN': '已输单', ko: '실주' } }],
  transitions: [
    {
      id: 'lose',
      label: { en: 'Mark as lost', 'zh-CN': '输单', ko: '실주 처리' },
      from: ['open'],
      to: 'lost',
      approval: {
        pending: 'open',
        rejected: 'open',
        steps: [
          { id: 'boss', label: { en: 'Manager', 'zh-CN': '经理', ko: '관리자' }, approvers: [] },
        ],
      },
    },
  ],
} as unknown as Flow
const entity = {
  id: 'deal',
  label: { en: 'Deal' },
  fields: [
    {
      name: 'stage',
      type: 'select',
      options: [{ value: 'open', label: { en: 'Open', 'zh-CN': '进行中', ko: '진행 중' } }],
    },
    { name: 'lostReason', type: 'text', label: { en: 'Lost reason', 'zh-CN': '输单原因' } },
  ],
} as unknown as Entity

describe('refusal words', () => {
  it('have every text in every language with the same placeholders as English', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(REFUSAL_TEXTS[locale]).sort(), locale).toEqual(
        Object.keys(REFUSAL_TEXTS.en).sort(),
      )
      for (const [key, text] of Object.entries(REFUSAL_TEXTS[locale])) {
        const english = REFUSAL_TEXTS.en[key as keyof typeof REFUSAL_TEXTS.en]
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(english))
      }
    }
  })

  it('name transitions, states, steps and fields by their labels in the language', () => {
    const w = refusalWords(flow, { locale: 'zh-CN', entity })
    expect(w.transition('lose')).toBe('输单')
    expect(w.state('lost')).toBe('已输单')
    // A state without its own label takes the label of the state field's option.
    expect(w.state('open')).toBe('进行中')
    expect(w.states(['open', 'lost'])).toBe('“进行中”、“已输单”')
    expect(w.step('boss')).toBe('经理')
    expect(w.field('lostReason')).toBe('输单原因')
    expect(w.text('fieldRequired', { field: w.field('lostReason') })).toBe('请填写“输单原因”')
    expect(w.status('rejected')).toBe('已驳回')
  })

  it('fall back to English, then to the id, for what has no label in the language', () => {
    const ko = refusalWords(flow, { locale: 'ko', entity })
    expect(ko.field('lostReason')).toBe('Lost reason')
    expect(ko.step('nowhere')).toBe('nowhere')
    const plain = refusalWords(flow, {})
    expect(plain.text('guardFails', { transition: plain.transition('lose') })).toBe(
      'The conditions of Mark as lost do not hold for this record',
    )
    expect(plain.field('lostReason')).toBe('lostReason')
  })

  it('name a role by its label and the entity by its own, for a shell refusal', () => {
    const roles = new Map([
      ['salesRep', { id: 'salesRep', label: { en: 'Sales rep', ko: '영업 담당자' }, grants: [] }],
    ])
    const ko = refusalWords(flow, { locale: 'ko', entity, roles })
    expect(ko.text('lacksRole', { role: ko.role('salesRep') })).toBe(
      '"영업 담당자" 역할이 없습니다',
    )
    expect(refusalWords(flow, { locale: 'zh-CN', entity, roles }).role('salesRep')).toBe(
      'Sales rep',
    )
    expect(ko.role('gone')).toBe('gone')
    expect(refusalWords(flow, { entity }).entity()).toBe('deal')
    expect(refusalWords(undefined, {}).entity()).toBe('')
  })
})

import { describe, expect, it } from 'vitest'
import { pickTemplate } from './pick-template'

const set = { en: 'Due', 'zh-CN': '到期', ko: '만기' }

describe('pickTemplate', () => {
  it('takes the reader exact locale', () => {
    expect(pickTemplate(set, 'zh-CN')).toEqual({ locale: 'zh-CN', template: '到期' })
    expect(pickTemplate(set, 'ko')).toEqual({ locale: 'ko', template: '만기' })
  })

  it('takes the same language in another region', () => {
    expect(pickTemplate(set, 'ko-KR')?.template).toBe('만기')
    expect(pickTemplate(set, 'zh')?.template).toBe('到期')
    expect(pickTemplate(set, 'ZH_cn')?.template).toBe('到期')
  })

  it('falls back to English for a language it lacks or an unknown reader', () => {
    expect(pickTemplate(set, 'ja')).toEqual({ locale: 'en', template: 'Due' })
    expect(pickTemplate(set, null)?.template).toBe('Due')
    expect(pickTemplate(set, '')?.template).toBe('Due')
  })

  it('answers null when nothing fits', () => {
    expect(pickTemplate({ ko: '만기' }, 'ja')).toBeNull()
    expect(pickTemplate(undefined, 'en')).toBeNull()
    expect(pickTemplate({}, 'en')).toBeNull()
  })

  it('does not take an inherited key for a template', () => {
    expect(pickTemplate({ ko: 'x' }, 'constructor')).toBeNull()
  })
})

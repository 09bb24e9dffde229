import { describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { renderAlertMessage, renderAlertTexts } from './render-alert-message'

const alert: Alert = {
  id: 'deal-created',
  label: { en: 'New deal' },
  entity: 'deal',
  trigger: { type: 'created' },
  recipients: [{ type: 'owner' }],
  channels: [{ type: 'inApp' }],
  template: {
    en: { title: 'New deal {{record.title}}', body: 'Worth {{record.amount}}.' },
    'zh-CN': { title: '新商机 {{record.title}}', body: '金额 {{record.amount}}。' },
    ko: { title: '{{record.missing}}', body: '금액 {{record.amount}}' },
  },
}
const data = { record: { title: 'Acme', amount: 12500 }, previous: null, $user: null, link: null }

describe('renderAlertTexts', () => {
  it('renders the message in every language of the template, as the reader of each gets it', () => {
    const texts = renderAlertTexts(alert, data, 'UTC')!
    expect(texts.en).toEqual({
      title: renderAlertMessage(alert, 'en', data, 'UTC').title,
      body: renderAlertMessage(alert, 'en', data, 'UTC').body,
    })
    expect(texts['zh-CN'].title).toBe('新商机 Acme')
    expect(texts['zh-CN'].body).toBe(renderAlertMessage(alert, 'zh-CN', data, 'UTC').body)
  })

  it('leaves out a language whose title comes out empty, and cuts a long title', () => {
    expect(Object.keys(renderAlertTexts(alert, data, 'UTC')!)).toEqual(['en', 'zh-CN'])
    const long = { ...data, record: { ...data.record, title: 'x'.repeat(600) } }
    expect(renderAlertTexts(alert, long, 'UTC')!.en.title).toHaveLength(500)
  })

  it('keeps none for a template in one language, which every reader gets anyway', () => {
    const english = { ...alert, template: { en: alert.template.en } }
    expect(renderAlertTexts(english, data, 'UTC')).toBeNull()
  })
})

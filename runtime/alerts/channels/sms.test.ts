import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../errors'
import { createInProcessSmsGateway, isOptedOut, normalizePhone, sendSms } from './sms'

describe('phone numbers and opt-out', () => {
  it('normalizes the ways people write a number', () => {
    expect(normalizePhone('+82 (10) 1234-5678')).toBe('+821012345678')
    expect(normalizePhone('010.1234.5678')).toBe('01012345678')
    expect(normalizePhone(' +86 138 0013 8000 ')).toBe('+8613800138000')
  })

  it('answers null for what is not a number', () => {
    for (const bad of ['', 'abc', '+', '12', '+1234567890123456', '010-1234-567x', null, 42]) {
      expect(normalizePhone(bad), String(bad)).toBeNull()
    }
  })

  it('finds a number on an opt-out list however either is written', () => {
    const list = ['+82 10-1234-5678', 'garbage']
    expect(isOptedOut('+821012345678', list)).toBe(true)
    expect(isOptedOut('+82-10-9999-0000', list)).toBe(false)
    expect(isOptedOut('not a phone', list)).toBe(false)
  })

  it('sends through the in-process gateway unless opted out', async () => {
    const gateway = createInProcessSmsGateway()
    expect(await sendSms(gateway, { to: '+821012345678', text: ' hi ' })).toEqual({
      status: 'sent',
      id: '1',
    })
    expect(
      await sendSms(gateway, { to: '+821012345678', text: 'hi' }, { optedOut: () => true }),
    ).toEqual({
      status: 'skipped',
      reason: 'opted-out',
    })
    expect(gateway.sent).toEqual([{ to: '+821012345678', text: 'hi' }])
    await expect(gateway.send({ to: 'x', text: 'hi' })).rejects.toBeInstanceOf(ValidationError)
  })
})

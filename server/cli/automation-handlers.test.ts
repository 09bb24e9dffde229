import { describe, expect, it } from 'vitest'
import { createHandlerRegistry, type OutboxEvent } from '../../runtime/jobs/event-handlers'
import { filtered } from './automation-handlers'

const event = (entity: string): OutboxEvent => ({
  id: 1,
  entity,
  recordId: '00000000-0000-0000-0000-000000000001',
  event: 'updated',
  payload: {},
  userId: null,
  createdAt: new Date(0).toISOString(),
})

describe('event handlers filtered by what they want', () => {
  it('refuses a handler the interests do not know: writes would mark its events delivered', () => {
    const features = filtered(createHandlerRegistry(), { alerts: () => true })
    expect(() => features.onEvent('audit-mirror', async () => {})).toThrow(
      "event handler 'audit-mirror' has no entry in EVENT_INTERESTS",
    )
  })

  it('lets an event through only when the interest and the handler’s own test both take it', () => {
    const handlers = createHandlerRegistry()
    const features = filtered(handlers, { alerts: (e) => e.entity !== 'product' })
    features.onEvent(
      'alerts',
      async () => {},
      (e) => e.entity !== 'memo',
    )
    const accepts = handlers.events().get('alerts')!.accepts!
    expect([accepts(event('deal')), accepts(event('product')), accepts(event('memo'))]).toEqual([
      true,
      false,
      false,
    ])
  })
})

import { describe, expect, it } from 'vitest'
import type { MetadataBundle } from './metadata-set'
import { buildMetadataSet } from './metadata-set'
import { EVENT_INTERESTS, isEventWanted, quietVersion } from './event-interest'

/** Only the parts of each definition the interests read. */
const bundle = {
  packages: [],
  entities: [],
  forms: [],
  views: [],
  roles: [],
  alerts: [
    { id: 'big-deal', entity: 'deal' },
    { id: 'quote-off', entity: 'quote', enabled: false },
  ],
  slas: [{ id: 'ticket-sla', entity: 'ticket' }],
  pools: [
    {
      id: 'public',
      type: 'pool',
      reclaim: { followUp: { entity: 'visit' }, deal: { entity: 'order' } },
    },
    { id: 'leads', type: 'assignment', entity: 'lead' },
  ],
} as unknown as MetadataBundle
const meta = buildMetadataSet(bundle, 7)

describe('which record events an automation handler wants', () => {
  it.each([
    ['deal', 'alerts'],
    ['ticket', 'sla'],
    ['visit', 'pools'],
    ['order', 'pools'],
    ['lead', 'assignment'],
  ])('%s events are wanted by %s alone', (entity, handler) => {
    for (const event of ['created', 'updated', 'transition']) {
      expect(isEventWanted(meta, entity, event)).toBe(true)
      const wanting = Object.entries(EVENT_INTERESTS)
        .filter(([, wants]) => wants(meta, entity, event))
        .map(([name]) => name)
      expect(wanting).toEqual([handler])
    }
  })

  it('wants no event of an entity nothing listens to, nor of one whose only alert is off', () => {
    for (const entity of ['product', 'quote'])
      for (const event of ['created', 'updated', 'transition'])
        expect(isEventWanted(meta, entity, event)).toBe(false)
  })

  it('wants every delete: the record’s timers go with it', () => {
    expect(isEventWanted(meta, 'product', 'deleted')).toBe(true)
    expect(quietVersion(meta, 'product', 'deleted')).toBeNull()
  })

  it('judges an unwanted event on the metadata version it read', () => {
    expect(quietVersion(meta, 'product', 'updated')).toBe(7)
    expect(quietVersion(meta, 'deal', 'updated')).toBeNull()
  })
})

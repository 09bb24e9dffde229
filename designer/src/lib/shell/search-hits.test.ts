import { describe, expect, it } from 'vitest'
import { groupHits } from './search-hits'

const hit = (entity: string, id: string) => ({ entity, id, title: id, matched: ['name'] })

describe('groupHits', () => {
  it('keeps the ranked order inside each entity and the order of first appearance', () => {
    const groups = groupHits({
      data: [
        hit('customer', 'c1'),
        hit('customer', 'c2'),
        hit('lead', 'l1'),
        hit('customer', 'c3'),
      ],
      more: ['lead'],
    })
    expect(groups.map((g) => [g.entity, g.hits.map((h) => h.id), g.more])).toEqual([
      ['customer', ['c1', 'c2', 'c3'], false],
      ['lead', ['l1'], true],
    ])
  })

  it('answers no groups for no hits', () => {
    expect(groupHits({ data: [], more: [] })).toEqual([])
  })
})

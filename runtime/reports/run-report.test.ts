import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Report } from '../../metadata/report'
import { fixedClock } from '../clock'
import { silentLogger, type Ctx } from '../context'
import type { Db } from '../db'
import { buildMetadataSet } from '../registry'
import { listReports } from './run-report'

const label = (en: string) => ({ en })
const order: Entity = {
  id: 'order',
  label: label('Order'),
  fields: [
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'contract', type: 'attachment', label: label('Contract') },
  ],
}
const byOwner: Report = {
  id: 'by-owner',
  label: label('By owner'),
  entity: 'order',
  dimensions: [{ id: 'owner', field: 'owner' }],
  measures: [{ id: 'orders', aggregate: 'count' }],
}
// Saved before publishing refused a filter on a file field: its run answers 400.
const signed: Report = { ...byOwner, id: 'signed', filter: { '!!': [{ var: 'contract' }] } }

describe('listReports', () => {
  it('leaves out a report its run would refuse, and lists the others', () => {
    const meta = buildMetadataSet(
      { packages: [], entities: [order], forms: [], views: [], reports: [byOwner, signed] },
      1,
    )
    const ctx: Ctx = {
      db: {} as Db,
      user: { id: 'u-1', username: 'admin', displayName: 'Admin', locale: 'en', isAdmin: true },
      clock: fixedClock(new Date('2026-06-15T10:00:00Z')),
      log: silentLogger,
      meta,
    }
    expect(listReports(ctx).map((r) => r.id)).toEqual(['by-owner'])
  })
})

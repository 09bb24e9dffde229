import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Form } from '../../metadata/form'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type Ctx } from '../../runtime/context'
import { createRecord, getRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { testTargets, type TestTarget } from '../support/databases'

const label = (en: string) => ({ en })

const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  fields: [{ name: 'name', type: 'text', label: label('Name'), required: true }],
}

const visit: Entity = {
  id: 'visit',
  label: label('Visit'),
  titleField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: label('Subject'), required: true },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
    { name: 'visitedAt', type: 'datetime', label: label('Visited at'), index: true },
    { name: 'amount', type: 'money', label: label('Amount'), currency: 'CNY' },
  ],
}

const accountForm: Form = {
  id: 'account',
  entity: 'account',
  label: label('Account'),
  tabs: [
    { id: 'main', label: label('Main'), sections: [{ id: 'basic', fields: [{ field: 'name' }] }] },
  ],
  relatedLists: [
    { id: 'latest', entity: 'visit', field: 'account', sort: '-visitedAt', limit: 3 },
    { id: 'cheapest', entity: 'visit', field: 'account', sort: 'amount', limit: 10 },
    { id: 'created', entity: 'visit', field: 'account' },
  ],
}

async function open(target: TestTarget): Promise<{ ctx: Ctx; close: () => Promise<void> }> {
  const { db, close } = await target.open()
  const base = {
    db,
    user: {
      id: null as unknown as string,
      username: 'system',
      displayName: 'System',
      locale: 'en' as const,
      isAdmin: true,
    },
    clock: fixedClock('2026-03-15T08:00:00Z'),
    log: silentLogger,
    requestId: 'req-related-order',
  }
  const { meta } = await publishMetadata(base, {
    packages: [],
    entities: [account, visit],
    forms: [accountForm],
    views: [],
  })
  return { ctx: { ...base, meta }, close }
}

describe.each(testTargets())('related lists in their sort order on $name', (target) => {
  let ctx: Ctx
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ ctx, close } = await open(target))
  })
  afterAll(() => close?.())

  it('orders each related list by its sort field (empty values last), else newest first', async () => {
    const { record } = await createRecord(ctx, 'account', { name: 'Acme' })
    const rows = [
      { subject: 'March', visitedAt: '2026-03-01T09:00:00Z', amount: 30 },
      { subject: 'Undated', visitedAt: null, amount: 5 },
      { subject: 'May', visitedAt: '2026-05-01T09:00:00Z', amount: 10 },
      { subject: 'January', visitedAt: '2026-01-01T09:00:00Z', amount: 20 },
      { subject: 'April', visitedAt: '2026-04-01T09:00:00Z', amount: null },
    ]
    for (const [i, row] of rows.entries()) {
      const at = fixedClock(`2026-03-15T08:00:0${i}Z`)
      await createRecord({ ...ctx, clock: at }, 'visit', {
        ...row,
        amount: row.amount === null ? null : { amount: row.amount, currency: 'CNY' },
        account: record.id,
      })
    }
    const got = await getRecord(ctx, 'account', record.id as string, { related: true })
    const subjects = (id: string) => got.related?.[id].data.map((r) => r.subject as string) ?? []
    expect(subjects('latest')).toEqual(['May', 'April', 'March'])
    expect(got.related?.latest.hasMore).toBe(true)
    expect(subjects('cheapest')).toEqual(['Undated', 'May', 'January', 'March', 'April'])
    expect(subjects('created')).toEqual(['April', 'January', 'May'].concat(['Undated', 'March']))
  })
})

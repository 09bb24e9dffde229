import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { AssignmentRule } from '../../metadata/pool'
import { assignCreated, assignRecord } from '../../runtime/assignment'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createInProcessQueue } from '../../runtime/jobs'
import type { OutboxEvent } from '../../runtime/jobs/event-handlers'
import { createRecord, getRecordHistory } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import { leave, leaveRequest } from './assignment-fixture'

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })
const TODAY = '2026-05-11T03:00:00Z'

const lead: Entity = {
  id: 'lead',
  label: label('Lead'),
  ownerField: 'owner',
  fields: [
    { name: 'company', type: 'text', label: label('Company') },
    { name: 'region', type: 'select', label: label('Region'), options: ['east', 'west'].map(opt) },
    { name: 'status', type: 'select', label: label('Status'), options: ['new', 'done'].map(opt) },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}
const rule = (id: string, more: Partial<AssignmentRule>): AssignmentRule => ({
  type: 'assignment',
  id,
  label: label(id),
  entity: 'lead',
  strategy: 'roundRobin',
  team: { roles: ['sales'] },
  ...more,
})

describe.each(testTargets())('assignment rules on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: Ctx
  const ids: Record<string, string> = {}
  const rules = [rule('in-turn', { fallbackOwner: 'boss', leave })]

  beforeAll(async () => {
    const opened = await target.open()
    ;({ db, close } = opened)
    for (const name of ['boss', 'ann', 'bob', 'cat', 'dan']) {
      const [row] = await db.query<{
        id: string
      }>(sql`insert into users (username, display_name, password_hash, is_admin)
        values (${name}, ${name}, 'x', ${name === 'boss'}) returning id::text as id`)
      ids[name] = row.id
      if (name !== 'boss')
        await db.query(
          sql`insert into user_roles (user_id, role_id) values (${row.id}::uuid, ${name === 'dan' ? 'west' : 'sales'})`,
        )
    }
    const admin: CurrentUser = {
      id: ids.boss,
      username: 'boss',
      displayName: 'boss',
      locale: 'en',
      isAdmin: true,
    }
    const base = { db, user: admin, clock: fixedClock(TODAY), log: silentLogger }
    const { meta } = await publishMetadata(base, {
      packages: [],
      entities: [lead, leaveRequest],
      forms: [],
      views: [],
      pools: rules,
      roles: [
        { id: 'sales', label: label('Sales'), grants: [] },
        { id: 'west', label: label('West'), grants: [] },
      ],
    })
    ctx = { ...base, meta }
  })
  afterAll(() => close?.())

  const names = (list: ({ userId: string } | null)[]) =>
    list.map((a) => Object.keys(ids).find((k) => ids[k] === a?.userId) ?? null)

  it('takes turns within the team in username order', async () => {
    const r = rule('turns', {})
    const picks = []
    for (let i = 0; i < 6; i++) picks.push(await assignRecord(ctx, r, {}))
    expect(names(picks)).toEqual(['ann', 'bob', 'cat', 'ann', 'bob', 'cat'])
  })

  it('skips people on approved leave today, not on leave that is only submitted or over', async () => {
    await createRecord(ctx, 'leaveRequest', {
      applicant: ids.bob,
      startDate: '2026-05-10',
      endDate: '2026-05-12',
      status: 'approved',
    })
    await createRecord(ctx, 'leaveRequest', {
      applicant: ids.cat,
      startDate: '2026-05-10',
      endDate: '2026-05-12',
      status: 'submitted',
    })
    await createRecord(ctx, 'leaveRequest', {
      applicant: ids.ann,
      startDate: '2026-05-01',
      endDate: '2026-05-10',
      status: 'approved',
    })
    const r = rule('leave', { leave })
    const picks = []
    for (let i = 0; i < 4; i++) picks.push(await assignRecord(ctx, r, {}))
    expect(names(picks)).toEqual(['ann', 'cat', 'ann', 'cat'])
  })

  it("reads 'today' of a leave in the instance time zone", async () => {
    // 23:00 UTC on 9 May is already 10 May in Shanghai, the first day of a leave of dan's.
    const lateEvening = { ...ctx, clock: fixedClock(new Date('2026-05-09T23:00:00Z')) }
    await createRecord(lateEvening, 'leaveRequest', {
      applicant: ids.dan,
      startDate: '2026-05-10',
      endDate: '2026-05-10',
      status: 'approved',
    })
    const r = rule('zoned', { leave, team: { roles: ['west'] } })
    const inUtc = await assignRecord(lateEvening, r, {})
    const inShanghai = await assignRecord(lateEvening, r, {}, 'Asia/Shanghai')
    expect(names([inUtc])).toEqual(['dan'])
    expect(inShanghai).toBeNull() // dan is away and the rule has no fallback owner
  })

  it('gives the least loaded the record, passes over people at capacity, then falls back', async () => {
    const open = { '==': [{ var: 'status' }, 'new'] }
    for (const [who, n] of [
      ['ann', 2],
      ['bob', 0],
      ['cat', 1],
    ] as const)
      for (let i = 0; i < n; i++)
        await db.query(
          sql`insert into app.lead (id, company, status, owner) values (gen_random_uuid(), 'x', 'new', ${ids[who]}::uuid)`,
        )
    await db.query(
      sql`insert into app.lead (id, company, status, owner) values (gen_random_uuid(), 'x', 'done', ${ids.bob}::uuid)`,
    )
    const least = rule('least', { strategy: 'leastLoad', openFilter: open })
    expect(names([await assignRecord(ctx, least, {})])).toEqual(['bob'])
    const capped = rule('capped', { openFilter: open, capacity: 2, fallbackOwner: 'boss' })
    expect(
      names([await assignRecord(ctx, capped, {}), await assignRecord(ctx, capped, {})]),
    ).toEqual(['bob', 'cat'])
    const full = rule('full', {
      openFilter: open,
      capacity: 1,
      team: { usernames: ['ann'] },
      fallbackOwner: 'boss',
    })
    expect(await assignRecord(ctx, full, {})).toMatchObject({ userId: ids.boss, how: 'fallback' })
    expect(await assignRecord(ctx, { ...full, fallbackOwner: undefined }, {})).toBeNull()
  })

  it('picks the team by a field value and applies only when its condition holds', async () => {
    const byRegion = rule('regions', {
      strategy: 'byField',
      team: undefined,
      byField: {
        field: 'region',
        teams: { east: { usernames: ['ann'] }, west: { roles: ['west'] } },
      },
      when: { '!=': [{ var: 'company' }, 'skip'] },
    })
    expect(names([await assignRecord(ctx, byRegion, { region: 'west' })])).toEqual(['dan'])
    expect(names([await assignRecord(ctx, byRegion, { region: 'east' })])).toEqual(['ann'])
    expect(await assignRecord(ctx, byRegion, { region: 'east', company: 'skip' })).toBeNull()
  })

  it('gives a created lead its owner through the event handler and writes the history', async () => {
    const { record } = await createRecord(ctx, 'lead', { company: 'Acme', status: 'new' })
    const [row] = await db.query<{ id: number; payload: Record<string, unknown> }>(sql`
      select id, payload from outbox where record_id = ${record.id as string}::uuid and event = 'created'`)
    const event: OutboxEvent = {
      id: Number(row.id),
      entity: 'lead',
      recordId: record.id as string,
      event: 'created',
      payload: row.payload,
      userId: ids.boss,
      createdAt: TODAY,
    }
    const queue = createInProcessQueue({})
    const source = async () => ctx.meta
    const owner = await assignCreated(
      { db, clock: ctx.clock, log: silentLogger, queue },
      source,
      event,
    )
    await queue.close()
    expect([ids.ann, ids.cat]).toContain(owner) // bob is on leave
    const [history] = await getRecordHistory(ctx, 'lead', record.id as string)
    expect(history).toMatchObject({
      action: 'assign',
      changes: { owner: { before: ids.boss, after: owner } },
    })
  })

  it('spreads 30 parallel assignments evenly: each takes its own turn', async () => {
    const r = rule('parallel', {})
    const picks = await Promise.all(Array.from({ length: 30 }, () => assignRecord(ctx, r, {})))
    const counts = names(picks).reduce<Record<string, number>>(
      (m, n) => ({ ...m, [n!]: (m[n!] ?? 0) + 1 }),
      {},
    )
    expect(counts).toEqual({ ann: 10, bob: 10, cat: 10 })
  })
})

import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sla } from '../../metadata/sla'
import { registerAlertHandlers, type AlertDeps } from '../../runtime/alerts'
import { createInProcessMailer } from '../../runtime/alerts/channels'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { DefinitionError } from '../../runtime/errors'
import {
  createHandlerRegistry,
  createInProcessQueue,
  registerBuiltInHandlers,
  runDueJobs,
} from '../../runtime/jobs'
import { createDepartment, createOrgUser } from '../../runtime/org'
import { fireTransition } from '../../runtime/flows'
import { createRecord } from '../../runtime/records'
import {
  applyDrafts,
  loadPublishedMetadata,
  planDrafts,
  publishMetadata,
  saveDraft,
} from '../../runtime/registry'
import { registerSlaHandlers } from '../../runtime/sla'
import { loadSeedBundle } from '../../seeds'
import { ensureDemoAdmin } from '../../server/cli/demo'
import { testTargets } from '../support/databases'
import { notificationsOf } from './alerts-fixture'

/** A local time in Shanghai (UTC+8) in September 2027: day of the month, 'HH:mm'. */
const cn = (day: number, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return new Date(Date.UTC(2027, 8, day, h - 8, m))
}
/** The same in Seoul (UTC+9). */
const kr = (day: number, hhmm: string) => new Date(+cn(day, hhmm) - 60 * 60_000)
const iso = (d: Date) => d.toISOString()

// The four modules as shipped (the customer form lists order records, so they come together).
describe.each(testTargets())('the shipped ticket SLA on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let admin: Ctx
  const users: Record<'agent' | 'lead', string> = { agent: '', lead: '' }
  const customers: Record<'key' | 'plain', string> = { key: '', plain: '' }
  const deps: AlertDeps = {
    metadata: (tx) => loadPublishedMetadata(tx),
    mailer: createInProcessMailer(),
    env: {},
    timeZone: 'Asia/Shanghai',
    baseUrl: 'https://crm.trellis.test',
  }

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const base = { db, user: SYSTEM_USER, clock: fixedClock(cn(13, '08:00')), log: silentLogger }
    const { meta } = await publishMetadata(base, loadSeedBundle())
    // Records need a real writer (their created-by refers to a user).
    admin = { ...base, meta }
    admin = { ...admin, user: await ensureDemoAdmin(admin) }
    const service = await createDepartment(admin, { name: 'Service', kind: 'company' })
    const person = async (username: string, locale: string, role: string, managerId?: string) => {
      const user = await createOrgUser(
        admin,
        {
          username,
          password: 'pw',
          displayName: username,
          email: `${username}@trellis.test`,
          locale,
          departmentId: service.id,
          managerId,
          roles: [role],
        },
        { allowWeakPassword: true },
      )
      return user.id
    }
    users.lead = await person('lead', 'ko', 'serviceManager')
    users.agent = await person('agent', 'zh-CN', 'serviceAgent', users.lead)
    const customer = async (name: string, level: string) =>
      String((await createRecord(admin, 'customer', { name, level })).record.id)
    customers.key = await customer('Lotus Electric', 'A')
    customers.plain = await customer('Bolt Trading', 'C')
  })
  afterAll(() => close?.())

  const at = (now: Date): Ctx => ({ ...admin, clock: fixedClock(now) })

  /** Runs every event, SLA timer and alert delivery due at `now`, as every Trellis process does. */
  async function runAt(now: Date) {
    const handlers = registerAlertHandlers(registerBuiltInHandlers(createHandlerRegistry()), deps)
    registerSlaHandlers(handlers, { meta: (tx) => loadPublishedMetadata(tx) })
    const queue = createInProcessQueue({ backoffMs: 10 })
    try {
      return await runDueJobs({ db, queue, clock: fixedClock(now), log: silentLogger, handlers })
    } finally {
      await queue.close()
    }
  }
  async function openTicket(now: Date, values: Record<string, unknown>) {
    const ctx = { ...at(now), meta: await loadPublishedMetadata(db) }
    const { record } = await createRecord(ctx, 'ticket', {
      subject: 'Printer jam',
      reportedAt: iso(now),
      ...values,
    })
    await runAt(now)
    return { id: String(record.id), number: String(record.number) }
  }
  async function dueTimes(id: string) {
    const [row] = await db.query<Record<string, unknown>>(sql`
      select first_response_due_at, sla_due_at, first_response_breached, sla_breached
      from app.ticket where id = ${id}::uuid`)
    const time = (v: unknown) => (v == null ? null : iso(new Date(v as string)))
    return {
      firstResponseDue: time(row.first_response_due_at),
      resolutionDue: time(row.sla_due_at),
      firstResponseBreached: row.first_response_breached,
      resolutionBreached: row.sla_breached,
    }
  }

  it('publishes the calendars and the SLA from the service package, as versioned definitions', async () => {
    const meta = await loadPublishedMetadata(db)
    expect([...meta.calendars.keys()].sort()).toEqual(['china-office', 'korea-office'])
    expect(meta.calendars.get('china-office')).toMatchObject({
      module: 'service',
      timeZone: 'Asia/Shanghai',
      version: 1,
    })
    expect(meta.slas.get('ticket-sla')).toMatchObject({ module: 'service', entity: 'ticket' })
    expect(
      [...meta.alerts.values()].filter((a) => a.trigger.type === 'sla').map((a) => a.id),
    ).toEqual(expect.arrayContaining(['ticket-first-response-breach', 'ticket-sla-breach']))
    const kinds = await db.query<{ kind: string; def_id: string }>(sql`
      select kind, def_id from metadata_versions where kind in ('calendar', 'sla') order by def_id`)
    expect(kinds).toEqual([
      { kind: 'calendar', def_id: 'china-office' },
      { kind: 'calendar', def_id: 'korea-office' },
      { kind: 'sla', def_id: 'ticket-sla' },
    ])
  })

  it('refuses a policy naming an unknown calendar, field or entity, with the path of each', async () => {
    const sla = (await loadPublishedMetadata(db)).slas.get('ticket-sla')!
    const { version: _v, ...body } = sla
    const bad: Sla = {
      ...body,
      policies: [
        { ...body.policies[0], calendar: 'mars-office' },
        { ...body.policies[1], match: { 'customer.tier': ['A'] } },
        ...body.policies.slice(2),
      ],
      fields: { ...body.fields, resolutionBreached: 'overdue' },
    }
    const ctx = admin
    await saveDraft(ctx, 'sla', bad)
    const refused = await planDrafts(ctx).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(DefinitionError)
    expect((refused as DefinitionError).status).toBe(400)
    expect((refused as DefinitionError).details).toEqual([
      { path: 'slas[ticket-sla].policies[0].calendar', message: "no calendar 'mars-office'" },
      {
        path: 'slas[ticket-sla].fields.resolutionBreached',
        message: "ticket has no field 'overdue'",
      },
      {
        path: 'slas[ticket-sla].policies[1].match["customer.tier"]',
        message: "customer has no field 'tier'",
      },
    ])
    await saveDraft(ctx, 'sla', { ...body, entity: 'parcel' })
    const unknown = await planDrafts(ctx).catch((err: unknown) => err)
    expect((unknown as DefinitionError).details).toContainEqual({
      path: 'slas[ticket-sla].entity',
      message: "no entity 'parcel'",
    })
    await db.query(sql`delete from metadata_drafts`)
    expect((await loadPublishedMetadata(db)).slas.get('ticket-sla')?.policies).toEqual(sla.policies)
  })

  it('gives a ticket exact due times on the China calendar: lunch, a holiday and the weekend skipped', async () => {
    // Tue 14 Sep 17:30, standard policy (level C, normal): 4 h and 24 h of business time.
    // Wed 15 is the Mid-Autumn Festival; Thursday lunch 12:00–13:00 is not worked.
    const plain = await openTicket(cn(14, '17:30'), { customer: customers.plain })
    expect(await dueTimes(plain.id)).toEqual({
      firstResponseDue: iso(cn(16, '13:30')),
      resolutionDue: iso(cn(20, '17:30')),
      firstResponseBreached: false,
      resolutionBreached: false,
    })
    // Thu 16 Sep 11:30, high priority for a level A customer: 1 h and 8 h.
    const key = await openTicket(cn(16, '11:30'), { customer: customers.key, priority: 'high' })
    expect(await dueTimes(key.id)).toMatchObject({
      firstResponseDue: iso(cn(16, '13:30')),
      resolutionDue: iso(cn(17, '11:30')),
    })
  })

  it('moves the resolution due time by the time spent waiting for the customer', async () => {
    // Thu 16 Sep 09:00, urgent: resolution 4 h → 14:00 (lunch skipped).
    const t = await openTicket(cn(16, '09:00'), { customer: customers.plain, priority: 'urgent' })
    expect((await dueTimes(t.id)).resolutionDue).toBe(iso(cn(16, '14:00')))
    // The ticket's status moves through its flow's transitions (start, wait, resume).
    const change = async (now: Date, transition: string) => {
      const ctx = at(now)
      const [row] = await db.query<{ version: number }>(
        sql`select version from app.ticket where id = ${t.id}::uuid`,
      )
      await fireTransition(ctx, 'ticket', t.id, transition, { version: row.version })
      await runAt(now)
    }
    await change(cn(16, '09:10'), 'start')
    await change(cn(16, '10:00'), 'wait')
    await change(cn(16, '11:00'), 'resume')
    // An hour waiting: due an hour later.
    expect(await dueTimes(t.id)).toMatchObject({
      resolutionDue: iso(cn(16, '15:00')),
      firstResponseBreached: false,
    })
  })

  it('fires the shipped warning and breach alerts once, to the assignee and their manager', async () => {
    // Thu 16 Sep 09:00, urgent: first response 30 min (warning 09:24), resolution 4 h → 14:00
    // (warning at 80 %: 192 business minutes → 13:12).
    const t = await openTicket(cn(16, '09:00'), {
      customer: customers.plain,
      priority: 'urgent',
      assignee: users.agent,
    })
    const seen = async (who: 'agent' | 'lead') =>
      (await notificationsOf(db, users[who]))
        .filter((n) => n.record_id === t.id)
        .map((n) => n.alert)
    await runAt(cn(16, '09:23'))
    expect(await seen('agent')).toEqual([])
    await runAt(cn(16, '09:24'))
    expect(await seen('agent')).toEqual(['ticket-first-response-warning'])
    expect(await seen('lead')).toEqual([])
    await runAt(cn(16, '09:30'))
    expect(await seen('agent')).toEqual([
      'ticket-first-response-warning',
      'ticket-first-response-breach',
    ])
    expect(await seen('lead')).toEqual(['ticket-first-response-breach'])
    expect(await dueTimes(t.id)).toMatchObject({ firstResponseBreached: true })
    await runAt(cn(16, '13:12'))
    await runAt(cn(16, '14:00'))
    // Again, and every event handed over a second time: nothing is sent twice.
    await runAt(cn(16, '14:05'))
    await db.query(sql`update outbox set delivered_at = null where record_id = ${t.id}::uuid`)
    await runAt(cn(16, '14:10'))
    expect(await seen('agent')).toEqual([
      'ticket-first-response-warning',
      'ticket-first-response-breach',
      'ticket-sla-warning',
      'ticket-sla-breach',
    ])
    expect(await seen('lead')).toEqual(['ticket-first-response-breach', 'ticket-sla-breach'])
    const breach = async (who: 'agent' | 'lead') =>
      (await notificationsOf(db, users[who])).find(
        (n) => n.record_id === t.id && n.alert === 'ticket-sla-breach',
      )!
    // Each in their own language, the due time in Beijing time.
    expect(await breach('agent')).toMatchObject({ title: `${t.number} 已超出 SLA` })
    expect((await breach('agent')).body).toContain('14:00')
    expect(await breach('lead')).toMatchObject({ title: `${t.number} SLA 초과` })
    expect(await dueTimes(t.id)).toMatchObject({ resolutionBreached: true })
  })

  it('fires nothing for a ticket resolved in time', async () => {
    const t = await openTicket(cn(17, '09:00'), {
      customer: customers.plain,
      priority: 'urgent',
      assignee: users.agent,
    })
    const [row] = await db.query<{ version: number }>(
      sql`select version from app.ticket where id = ${t.id}::uuid`,
    )
    const ctx = at(cn(17, '09:10'))
    await fireTransition(ctx, 'ticket', t.id, 'resolve', {
      version: row.version,
      inputs: { resolution: 'Reset' },
    })
    await runAt(cn(17, '09:10'))
    await runAt(cn(17, '18:00'))
    expect((await notificationsOf(db, users.agent)).filter((n) => n.record_id === t.id)).toEqual([])
  })

  it('counts in Korea office hours once the SLA points at the Korea calendar (a draft applied)', async () => {
    const sla = (await loadPublishedMetadata(db)).slas.get('ticket-sla')!
    const { version: _v, ...body } = sla
    const ctx = admin
    await saveDraft(ctx, 'sla', { ...body, calendar: 'korea-office' })
    await applyDrafts(ctx)
    expect((await loadPublishedMetadata(db)).slas.get('ticket-sla')).toMatchObject({
      calendar: 'korea-office',
      version: 2,
    })
    // Mon 13 Sep 17:00 Seoul, standard: Chuseok runs Tue 14 – Thu 16, no lunch break.
    const t = await openTicket(kr(13, '17:00'), { customer: customers.plain })
    expect(await dueTimes(t.id)).toMatchObject({
      firstResponseDue: iso(kr(17, '12:00')),
      // 24 h of 9-hour days: 1 h Monday, 9 h Friday, 9 h Monday 20, 5 h Tuesday 21 → 14:00.
      resolutionDue: iso(kr(21, '14:00')),
    })
  })
})

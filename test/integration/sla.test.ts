import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Calendar, Entity, Sla } from '../../metadata'
import { fixedClock } from '../../runtime/clock'
import { silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { runDueJobs } from '../../runtime/jobs/automation'
import { createHandlerRegistry } from '../../runtime/jobs/event-handlers'
import { createInProcessQueue } from '../../runtime/jobs/in-process-queue'
import { createRecord, updateRecord } from '../../runtime/records'
import { publishMetadata, type MetadataSet } from '../../runtime/registry'
import { registerSlaHandlers } from '../../runtime/sla'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })
const customer: Entity = {
  id: 'customer',
  label: label('Customer'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'level', type: 'select', label: label('Level'), options: [opt('vip'), opt('normal')] },
  ],
}
const ticket: Entity = {
  id: 'ticket',
  label: label('Ticket'),
  titleField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: label('Subject'), required: true },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
    {
      name: 'priority',
      type: 'select',
      label: label('Priority'),
      options: ['low', 'normal', 'urgent'].map(opt),
      default: 'normal',
    },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: ['new', 'inProgress', 'waiting', 'resolved', 'closed'].map(opt),
      default: 'new',
    },
    { name: 'reportedAt', type: 'datetime', label: label('Reported'), default: { dynamic: 'now' } },
    { name: 'firstResponseDueAt', type: 'datetime', label: label('First response due') },
    { name: 'slaDueAt', type: 'datetime', label: label('Resolution due') },
    { name: 'firstResponseBreached', type: 'boolean', label: label('First response late') },
    { name: 'slaBreached', type: 'boolean', label: label('Resolution late') },
    { name: 'slaPausedMinutes', type: 'integer', label: label('Paused minutes') },
    { name: 'firstRespondedAt', type: 'datetime', label: label('First response') },
  ],
}
const nineToSix = [{ from: '09:00', to: '18:00' }]
const china: Calendar = {
  id: 'china-office',
  label: label('China office'),
  timeZone: 'Asia/Shanghai',
  hours: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix },
  holidays: [{ date: '2027-10-01' }],
}
const sla: Sla = {
  id: 'ticket-sla',
  label: label('Ticket SLA'),
  entity: 'ticket',
  calendar: 'china-office',
  startField: 'reportedAt',
  statusField: 'status',
  respondedWhenLeaving: ['new'],
  resolvedIn: ['resolved', 'closed'],
  pausedIn: ['waiting'],
  fields: {
    firstResponseDue: 'firstResponseDueAt',
    resolutionDue: 'slaDueAt',
    firstResponseBreached: 'firstResponseBreached',
    resolutionBreached: 'slaBreached',
    pausedMinutes: 'slaPausedMinutes',
    respondedAt: 'firstRespondedAt',
  },
  policies: [
    {
      id: 'urgent',
      match: { priority: ['urgent'] },
      firstResponse: { hours: 1 },
      resolution: { hours: 4 },
    },
    {
      id: 'vip',
      match: { 'customer.level': ['vip'] },
      firstResponse: { hours: 2 },
      resolution: { hours: 8 },
    },
    { id: 'standard', firstResponse: { hours: 4 }, resolution: { hours: 16 } },
  ],
}

/** Monday 13 September 2027, hh:mm in Shanghai (UTC+8). */
const mon = (hhmm: string, dayOffset = 0) => {
  const [h, m] = hhmm.split(':').map(Number)
  return new Date(Date.UTC(2027, 8, 13 + dayOffset, h - 8, m))
}
const iso = (d: Date) => d.toISOString()

describe.each(testTargets())('ticket SLA on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let meta: MetadataSet
  let ctx: Ctx
  let vip: string
  let plain: string

  beforeAll(async () => {
    const opened = await target.open()
    ;({ db, close } = opened)
    const base = { db, user: null, clock: fixedClock(mon('08:00')), log: silentLogger }
    const published = await publishMetadata(base, {
      packages: [],
      entities: [customer, ticket],
      forms: [],
      views: [],
      calendars: [china],
      slas: [sla],
    })
    meta = published.meta
    ctx = {
      ...base,
      user: {
        id: '00000000-0000-0000-0000-000000000000',
        username: 'system',
        displayName: 'System',
        locale: 'en',
        isAdmin: true,
      },
      meta,
    }
    vip = String((await createRecord(ctx, 'customer', { name: 'Acme', level: 'vip' })).record.id)
    plain = String(
      (await createRecord(ctx, 'customer', { name: 'Bolt', level: 'normal' })).record.id,
    )
    await runAt(mon('08:00'))
  })
  afterAll(() => close())

  /** Runs every event and timer due at `now` in a fresh in-process worker. */
  async function runAt(now: Date) {
    const handlers = createHandlerRegistry()
    registerSlaHandlers(handlers, { meta: async () => meta })
    const queue = createInProcessQueue({ backoffMs: 10 })
    try {
      return await runDueJobs({ db, queue, clock: fixedClock(now), log: silentLogger, handlers })
    } finally {
      await queue.close()
    }
  }
  const at = (now: Date): Ctx => ({ ...ctx, clock: fixedClock(now) })
  async function open(now: Date, values: Record<string, unknown>) {
    const { record } = await createRecord(at(now), 'ticket', { subject: 'Printer', ...values })
    await runAt(now)
    return String(record.id)
  }
  async function change(now: Date, id: string, patch: Record<string, unknown>) {
    const [row] = await db.query<{ version: number }>(
      sql`select version from app.ticket where id = ${id}::uuid`,
    )
    await updateRecord(at(now), 'ticket', id, patch, row.version)
    await runAt(now)
  }
  async function read(id: string) {
    const [row] = await db.query<Record<string, unknown>>(sql`
      select first_response_due_at, sla_due_at, first_response_breached, sla_breached,
        sla_paused_minutes, first_responded_at from app.ticket where id = ${id}::uuid`)
    const time = (v: unknown) => (v == null ? null : iso(new Date(v as string)))
    return {
      firstResponseDue: time(row.first_response_due_at),
      resolutionDue: time(row.sla_due_at),
      firstResponseBreached: row.first_response_breached,
      resolutionBreached: row.sla_breached,
      pausedMinutes: row.sla_paused_minutes == null ? null : Number(row.sla_paused_minutes),
      respondedAt: time(row.first_responded_at),
    }
  }
  async function timersOf(id: string) {
    const rows = await db.query<{ key: string; due_at: string | Date; fired_at: unknown }>(sql`
      select key, due_at, fired_at from timers where record_id = ${id}::uuid order by key`)
    return rows.map((r) => ({
      key: r.key.split(':').slice(2).join(':'),
      dueAt: iso(new Date(r.due_at)),
      fired: r.fired_at !== null,
    }))
  }
  async function milestones(id: string) {
    return db.query<{ event: string; payload: Record<string, unknown> }>(sql`
      select event, payload from outbox where record_id = ${id}::uuid and event like 'sla.%' order by id`)
  }

  it('writes due times and schedules warning and breach timers when a ticket is created', async () => {
    const id = await open(mon('10:00'), { customer: vip, priority: 'urgent' })
    expect(await read(id)).toEqual({
      firstResponseDue: iso(mon('11:00')),
      resolutionDue: iso(mon('14:00')),
      firstResponseBreached: false,
      resolutionBreached: false,
      pausedMinutes: 0,
      respondedAt: null,
    })
    expect(await timersOf(id)).toEqual([
      { key: 'firstResponse:breach', dueAt: iso(mon('11:00')), fired: false },
      { key: 'firstResponse:warning', dueAt: iso(mon('10:48')), fired: false },
      { key: 'resolution:breach', dueAt: iso(mon('14:00')), fired: false },
      { key: 'resolution:warning', dueAt: iso(mon('13:12')), fired: false },
    ])
  })

  it('matches the customer level through the reference and recomputes on a priority change', async () => {
    const id = await open(mon('10:00'), { customer: vip, priority: 'urgent' })
    await change(mon('10:30'), id, { priority: 'normal' })
    // vip: 2 h first response, 8 h resolution from 10:00 → 12:00 and 18:00 Monday
    expect(await read(id)).toMatchObject({
      firstResponseDue: iso(mon('12:00')),
      resolutionDue: iso(mon('18:00')),
    })
    const other = await open(mon('10:00'), { customer: plain, priority: 'urgent' })
    await change(mon('10:30'), other, { priority: 'low' })
    // standard: 16 business hours → Tuesday 17:00
    expect(await read(other)).toMatchObject({
      firstResponseDue: iso(mon('14:00')),
      resolutionDue: iso(mon('17:00', 1)),
    })
    expect((await timersOf(other)).find((t) => t.key === 'resolution:breach')?.dueAt).toBe(
      iso(mon('17:00', 1)),
    )
  })

  it('stands still while waiting for the customer and shifts the due time by the pause', async () => {
    const id = await open(mon('10:00'), { customer: plain })
    await change(mon('10:30'), id, { status: 'inProgress' })
    expect(await read(id)).toMatchObject({
      respondedAt: iso(mon('10:30')),
      firstResponseBreached: false,
    })
    await change(mon('11:00'), id, { status: 'waiting' })
    expect(await timersOf(id)).toEqual([])
    await change(mon('10:00', 1), id, { status: 'inProgress' })
    // Paused Mon 11:00–18:00 and Tue 09:00–10:00: 8 business hours, so Tue 17:00 → Wed 16:00
    expect(await read(id)).toMatchObject({
      resolutionDue: iso(mon('16:00', 2)),
      pausedMinutes: 480,
      resolutionBreached: false,
    })
    expect(await timersOf(id)).toEqual([
      { key: 'resolution:breach', dueAt: iso(mon('16:00', 2)), fired: false },
      { key: 'resolution:warning', dueAt: iso(mon('12:48', 2)), fired: false },
    ])
  })

  it('fires a breach once, at its due time, and emits the milestone for alerts', async () => {
    const id = await open(mon('10:00'), { customer: plain, priority: 'urgent' })
    await runAt(mon('10:47'))
    expect(await milestones(id)).toEqual([])
    await runAt(mon('10:59'))
    expect((await milestones(id)).map((m) => m.event)).toEqual(['sla.warning'])
    expect(await read(id)).toMatchObject({ firstResponseBreached: false })
    await runAt(mon('11:00'))
    await runAt(mon('11:05'))
    const events = await milestones(id)
    expect(events.map((m) => [m.event, m.payload.target, m.payload.dueAt])).toEqual([
      ['sla.warning', 'firstResponse', iso(mon('10:48'))],
      ['sla.breach', 'firstResponse', iso(mon('11:00'))],
    ])
    expect(await read(id)).toMatchObject({ firstResponseBreached: true, resolutionBreached: false })
    // A late response keeps the flag: the target was missed.
    await change(mon('11:10'), id, { status: 'inProgress' })
    expect(await read(id)).toMatchObject({
      firstResponseBreached: true,
      respondedAt: iso(mon('11:10')),
    })
    // The first-response timers go with the response; the resolution ones stay.
    expect((await timersOf(id)).map((t) => t.key)).toEqual([
      'resolution:breach',
      'resolution:warning',
    ])
  })

  it('cancels the timers of a resolved ticket and restarts them when it is reopened', async () => {
    const id = await open(mon('10:00'), { customer: plain })
    await change(mon('11:00'), id, { status: 'resolved' })
    expect(await timersOf(id)).toEqual([])
    expect(await read(id)).toMatchObject({
      resolutionBreached: false,
      firstResponseBreached: false,
    })
    await runAt(mon('18:00', 3))
    expect(await milestones(id)).toEqual([])
    await change(mon('12:00', 1), id, { status: 'inProgress' })
    expect((await timersOf(id)).map((t) => t.key)).toEqual([
      'resolution:breach',
      'resolution:warning',
    ])
  })
})

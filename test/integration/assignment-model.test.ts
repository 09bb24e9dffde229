import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssignmentRule } from '../../metadata/pool'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import { createInProcessQueue } from '../../runtime/jobs'
import { createRecord, updateRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { createRng, type Rng } from '../support/fuzz-random'
import { LEAVE_STATUSES, leave } from './assignment-fixture'
import {
  EVERYONE,
  MEMBERS,
  REGION_VALUES,
  STATUSES,
  T0,
  label,
  openWorld,
  resetWorld,
  type World,
} from './assignment-model-world'
import { OPEN_STATUSES, type ModelLead, type ModelRule } from './assignment-rules-model'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const STEPS = 400
const REGIONS = [...REGION_VALUES, null]

const openFilter = { in: [{ var: 'status' }, OPEN_STATUSES] }

/** A rule for leads of `kind` (none: every lead), as published and as the model reads it. */
function assignment(id: string, kind: string | undefined, more: Partial<AssignmentRule>) {
  const when = kind ? { when: { '==': [{ var: 'kind' }, kind] } } : {}
  const rule = { type: 'assignment', id, label: label(id), entity: 'lead', ...when, ...more }
  return { rule: rule as AssignmentRule, kind }
}

/**
 * A rule per strategy, for leads of its kind, and one that takes whatever they leave. Written
 * first, that one still comes last: published rules are tried in id order.
 */
const RULES: ModelRule[] = [
  assignment('other-leads', undefined, { strategy: 'roundRobin', team: { usernames: ['tia'] } }),
  assignment('lead-rr', 'rr', {
    strategy: 'roundRobin',
    team: { roles: ['sales'], usernames: ['eve'] },
    openFilter,
    capacity: 3,
    leave,
    fallbackOwner: 'sam',
  }),
  assignment('lead-ll', 'll', {
    strategy: 'leastLoad',
    team: { roles: ['sales'], departments: ['Support'] },
    openFilter,
    capacity: 4,
    leave: { ...leave, approved: 'granted' },
    fallbackOwner: 'sam',
  }),
  assignment('lead-fr', 'fr', {
    strategy: 'byField',
    byField: {
      field: 'region',
      teams: { east: { roles: ['east'] }, west: { roles: ['west'], usernames: ['dan'] } },
    },
    openFilter,
    capacity: 2,
    leave,
  }),
  assignment('lead-fl', 'fl', {
    strategy: 'byField',
    byField: {
      field: 'region',
      teams: {
        east: { roles: ['east'] },
        west: { roles: ['west'] },
        north: { departments: ['Support'], usernames: ['ann'] },
      },
      pick: 'leastLoad',
    },
    openFilter,
    capacity: 3,
    leave,
    fallbackOwner: 'sam',
  }),
]

/** A fixed seed per database and rule, or ASSIGNMENT_MODEL_SEED to replay a failure. */
function seedFor(target: string, kind: string): number {
  const given = process.env.ASSIGNMENT_MODEL_SEED
  if (given) return Number(given)
  return (target === 'postgres' ? 1000 : 2000) + ['rr', 'll', 'fr', 'fl'].indexOf(kind)
}

const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10)

/** One seeded walk: random steps applied to the database and to the model alike. */
class Walk {
  now = T0
  log: string[] = []
  steps = 0
  leadIds: string[] = []
  leaveIds: string[] = []
  constructor(
    readonly world: World,
    readonly kind: string,
    readonly seed: number,
    readonly r: Rng,
  ) {}

  ctx(user: CurrentUser): Ctx {
    return {
      db: this.world.db,
      user,
      clock: fixedClock(new Date(this.now)),
      log: silentLogger,
      meta: this.world.meta,
    }
  }

  private async update(entity: string, id: string, patch: Record<string, unknown>) {
    const table = entity === 'lead' ? sql`app.lead` : sql`app.leave_request`
    const [row] = await this.world.db.query<{ version: number }>(
      sql`select version from ${table} where id = ${id}::uuid`,
    )
    await updateRecord(this.ctx(this.world.boss), entity, id, patch, Number(row.version))
  }

  /** A new lead of the walk's kind, made by boss, by the system or with an owner named. */
  async createLead(): Promise<void> {
    const m = this.world.model
    const region = this.r.pick(REGIONS)
    const status = this.r.chance(0.85) ? 'new' : this.r.pick(STATUSES)
    const by = this.r.pick(['boss', 'boss', 'system', 'named'])
    const named = by === 'named' ? this.r.pick(MEMBERS) : null
    const owner = by === 'boss' ? 'boss' : named
    const values = { company: `L${this.leadIds.length}`, kind: this.kind, region, status }
    const creator = by === 'system' ? SYSTEM_USER : this.world.boss
    const extra = named ? { owner: this.world.ids[named] } : {}
    const { record } = await createRecord(this.ctx(creator), 'lead', { ...values, ...extra })
    const id = record.id as string
    this.leadIds.push(id)
    const modelLead: ModelLead = { kind: this.kind, region, status, owner }
    let line = `lead ${this.leadIds.length - 1} (${region}, ${status}) by ${by} ${named ?? ''}`
    if (this.r.chance(0.08)) {
      modelLead.owner = this.r.pick(MEMBERS)
      await this.update('lead', id, { owner: this.world.ids[modelLead.owner] })
      line += `, handed to ${modelLead.owner} before assignment`
    }
    await this.world.handleEvents(this.now)
    const expected = m.created(modelLead, owner, isoDay(this.now))
    this.note(`${line} → ${expected.owner} (${expected.history})`)
    const rows = await this.world.db.query<{ rule: string }>(sql`
      select changes->'rule'->>'after' as rule from audit_log
      where record_id = ${id}::uuid and action = 'assign'`)
    expect(
      rows.map((x) => x.rule),
      this.message(),
    ).toEqual(expected.history ? [expected.history] : [])
  }

  /** Closes an open lead (mostly) or gives any lead any status. */
  async setStatus(): Promise<void> {
    const leads = this.world.model.leads
    if (!leads.length) return
    const open = leads.flatMap((l, i) => (OPEN_STATUSES.includes(l.status) ? [i] : []))
    const i =
      open.length && this.r.chance(0.6) ? this.r.pick(open) : this.r.int(0, leads.length - 1)
    const status = OPEN_STATUSES.includes(leads[i].status)
      ? this.r.pick(['won', 'lost'])
      : this.r.pick(STATUSES)
    await this.update('lead', this.leadIds[i], { status })
    leads[i].status = status
    this.note(`lead ${i} → ${status}`)
  }

  async reassign(): Promise<void> {
    const leads = this.world.model.leads
    if (!leads.length) return
    const i = this.r.int(0, leads.length - 1)
    const to = this.r.pick(['boss', ...MEMBERS])
    await this.update('lead', this.leadIds[i], { owner: this.world.ids[to] })
    leads[i].owner = to
    this.note(`lead ${i} handed to ${to}`)
  }

  async addLeave(): Promise<void> {
    const user = this.r.pick(MEMBERS)
    const start = this.now + this.r.int(-2, 1) * DAY
    const l = {
      user,
      start: isoDay(start),
      end: isoDay(start + this.r.int(0, 3) * DAY),
      status: this.r.pick(LEAVE_STATUSES),
    }
    const values = {
      applicant: this.world.ids[user],
      startDate: l.start,
      endDate: l.end,
      status: l.status,
    }
    const { record } = await createRecord(this.ctx(this.world.boss), 'leaveRequest', values)
    this.leaveIds.push(record.id as string)
    this.world.model.leaves.push(l)
    this.note(`leave ${this.leaveIds.length - 1}: ${user} ${l.start}..${l.end} ${l.status}`)
  }

  async changeLeave(): Promise<void> {
    const leaves = this.world.model.leaves
    if (!leaves.length) return
    const i = this.r.int(0, leaves.length - 1)
    const status = this.r.pick(LEAVE_STATUSES)
    await this.update('leaveRequest', this.leaveIds[i], { status })
    leaves[i].status = status
    this.note(`leave ${i} → ${status}`)
  }

  async toggleRole(): Promise<void> {
    const name = this.r.pick(MEMBERS)
    const role = this.r.pick(['sales', 'east', 'west'])
    const person = this.world.model.people.get(name)!
    const had = person.roles.delete(role)
    if (!had) person.roles.add(role)
    await this.world.writePerson(name, person)
    this.note(`${name} ${had ? 'leaves' : 'joins'} role ${role}`)
  }

  async toggleDepartment(): Promise<void> {
    const name = this.r.pick(MEMBERS)
    const person = this.world.model.people.get(name)!
    person.department = person.department ? null : 'Support'
    await this.world.writePerson(name, person)
    this.note(`${name} department → ${person.department}`)
  }

  async toggleDisabled(): Promise<void> {
    const name = this.r.pick(EVERYONE)
    const person = this.world.model.people.get(name)!
    person.disabled = !person.disabled
    await this.world.writePerson(name, person)
    this.note(`${name} ${person.disabled ? 'disabled' : 'enabled'}`)
  }

  clockStep(): void {
    this.now += this.r.int(1, 18) * HOUR
    this.note(`clock → ${new Date(this.now).toISOString()}`)
  }

  private note(line: string): void {
    this.log.push(`${this.steps}. ${line}`)
  }

  async step(): Promise<void> {
    this.steps++
    const roll = this.r.next()
    if (roll < 0.4) return this.createLead()
    if (roll < 0.55) return this.setStatus()
    if (roll < 0.61) return this.reassign()
    if (roll < 0.7) return this.addLeave()
    if (roll < 0.76) return this.changeLeave()
    if (roll < 0.82) return this.toggleRole()
    if (roll < 0.85) return this.toggleDepartment()
    if (roll < 0.88) return this.toggleDisabled()
    this.clockStep()
  }

  message(): string {
    const tail = this.log.slice(-60).join('\n')
    const replay = `replay with ASSIGNMENT_MODEL_SEED=${this.seed}`
    return `seed ${this.seed} (${replay}), rule ${this.kind}, step ${this.steps}:\n…\n${tail}`
  }

  /** Every lead's owner in the database is the one the model has. */
  async checkOwners(): Promise<void> {
    const rows = await this.world.db.query<{ id: string; owner: string | null }>(
      sql`select id::text as id, owner::text as owner from app.lead`,
    )
    const owners = new Map(rows.map((x) => [x.id, x.owner ? this.world.names.get(x.owner)! : null]))
    const got = this.leadIds.map((id) => owners.get(id) ?? null)
    expect(got, this.message()).toEqual(this.world.model.leads.map((l) => l.owner))
  }
}

describe.each(testTargets())('assignment rules against a model on $name', (target) => {
  let world: World
  let close: () => Promise<void>
  const queue = createInProcessQueue({ log: silentLogger })
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    world = await openWorld(opened.db, queue, RULES)
  })
  afterAll(async () => {
    await queue.close()
    await close?.()
  })

  async function walk(kind: string) {
    await resetWorld(world)
    const seed = seedFor(target.name, kind)
    const w = new Walk(world, kind, seed, createRng(seed))
    for (let step = 0; step < STEPS; step++) {
      await w.step()
      await world.handleEvents(w.now)
      await w.checkOwners()
    }
    return { stats: world.model.stats, message: w.message() }
  }

  it.each([
    ['round robin', 'rr'],
    ['least load', 'll'],
  ])(
    'agrees on %s over random leads, closes, hand-overs, leave, teams and clock steps',
    async (_, kind) => {
      const { stats, message } = await walk(kind)
      // The walk reached every part of the rule, so the agreement above means something.
      expect(stats.assigned[`lead-${kind}`], message).toBeGreaterThan(20)
      for (const seen of ['leaveSkips', 'capacitySkips', 'fallbacks', 'handKept'] as const)
        expect(stats[seen], `${seen}\n${message}`).toBeGreaterThan(0)
      if (kind === 'll') expect(stats.ties, message).toBeGreaterThan(0)
    },
  )

  it.each([
    ['in turn', 'fr'],
    ['by least load', 'fl'],
  ])('agrees on teams by region picked %s over the same random steps', async (_, kind) => {
    const { stats, message } = await walk(kind)
    expect(stats.assigned[`lead-${kind}`], message).toBeGreaterThan(20)
    for (const seen of ['leaveSkips', 'capacitySkips', 'handKept'] as const)
      expect(stats[seen], `${seen}\n${message}`).toBeGreaterThan(0)
    if (kind === 'fr') {
      // Without a fallback, regions without a team (and full teams) go on to the next rule.
      expect(stats.fellThrough, message).toBeGreaterThan(0)
      expect(stats.assigned['other-leads'], message).toBeGreaterThan(0)
    } else {
      expect(stats.fallbacks, message).toBeGreaterThan(0)
      expect(stats.ties, message).toBeGreaterThan(0)
    }
  })
})

import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Report } from '../../metadata/report'
import type { Role } from '../../metadata/role'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import { createRecord } from '../../runtime/records'
import { createMetadataCache, type MetadataBundle } from '../../runtime/registry'
import { FIXTURE_BUNDLE } from './app-fixture'
import { createRng } from './fuzz-random'

/*
 * A small sales world for the report suites: accounts, deals with line items, three owners, a
 * rep role that reads only its own deals and never `secret`, and random deals from a seeded PRNG
 * kept in memory too, so an oracle can compute every report figure in plain TypeScript.
 */

const label = (en: string) => ({ en, 'zh-CN': `${en}（中）`, ko: `${en}(한)` })
const options = (...values: string[]) =>
  values.map((value) => ({ value, label: label(value.toUpperCase()) }))

export const STAGES = ['lead', 'qualified', 'proposal', 'won', 'lost'] as const
export const REGIONS = ['north', 'south', 'east'] as const
export const CATEGORIES = ['hw', 'sw', 'svc'] as const

/** The instant the report suites run at: Monday 15 June 2026, 10:00 UTC. */
export const REPORT_NOW = new Date('2026-06-15T10:00:00Z')

const account: Entity = {
  id: 'account',
  label: label('Account'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'region', type: 'select', label: label('Region'), options: options(...REGIONS) },
  ],
}

const deal: Entity = {
  id: 'deal',
  label: label('Deal'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'stage', type: 'select', label: label('Stage'), options: options(...STAGES) },
    { name: 'amount', type: 'money', label: label('Amount'), currency: 'CNY' },
    { name: 'qty', type: 'integer', label: label('Quantity') },
    { name: 'rate', type: 'decimal', scale: 3, label: label('Rate') },
    { name: 'closeOn', type: 'date', label: label('Close on') },
    { name: 'closedAt', type: 'datetime', label: label('Closed at') },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
    { name: 'secret', type: 'decimal', label: label('Secret margin') },
    { name: 'items', type: 'childTable', entity: 'dealItem', label: label('Items') },
  ],
}

const dealItem: Entity = {
  id: 'dealItem',
  label: label('Deal item'),
  childOf: 'deal',
  fields: [
    { name: 'category', type: 'select', label: label('Category'), options: options(...CATEGORIES) },
    { name: 'qty', type: 'integer', label: label('Quantity') },
    { name: 'price', type: 'decimal', scale: 2, label: label('Price') },
  ],
}

/** The fixture's clerk is a rep: own deals only, `secret` hidden; every account. */
const rep: Role = {
  id: 'clerk',
  label: label('Rep'),
  grants: [
    { entity: 'deal', scopes: { read: 'own' }, fields: { secret: 'none' } },
    { entity: 'account', scopes: { read: 'all' } },
  ],
}

/** The world's bundle with the given reports. */
export function reportBundle(reports: Report[]): MetadataBundle {
  return {
    packages: [{ ...FIXTURE_BUNDLE.packages[0], navigation: ['deal', 'account'] }],
    entities: [account, deal, dealItem],
    roles: [rep],
    forms: [],
    views: [],
    reports,
  }
}

export interface WorldItem {
  category: string | null
  qty: number | null
  /** Cents. */
  price: number | null
}

/** A deal as the oracle reads it; decimals as integers of their smallest unit. */
export interface WorldDeal {
  id: string
  title: string
  stage: string | null
  /** Cents. */
  amount: number | null
  qty: number | null
  /** Thousandths. */
  rate: number | null
  closeOn: string | null
  closedAt: string | null
  owner: string
  account: string | null
  items: WorldItem[]
}

export interface World {
  users: { id: string; displayName: string; user: CurrentUser }[]
  accounts: { id: string; name: string; region: string | null }[]
  deals: WorldDeal[]
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A random day in 2025–2026. */
function randomDay(rng: ReturnType<typeof createRng>): string {
  const d = new Date(Date.UTC(2025, 0, 1) + rng.int(0, 729) * 86400000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

const maybe = <T>(rng: ReturnType<typeof createRng>, value: () => T): T | null =>
  rng.chance(0.12) ? null : value()

/** Creates two more users (a second rep and a manager without roles) and random records. */
export async function seedReportWorld(
  db: Db,
  clerkId: string,
  adminId: string,
  seed = 11,
): Promise<World> {
  const rng = createRng(seed, 'reports')
  const meta = await createMetadataCache(db).current()
  const ctx: Ctx = { db, user: SYSTEM_USER, clock: fixedClock(REPORT_NOW), log: silentLogger, meta }
  const repB = await createUser(
    { db },
    { username: 'rep-b', password: 'rep-b-password-1', displayName: 'Rep B' },
  )
  await db.query(sql`insert into user_roles (user_id, role_id) values (${repB.id}, 'clerk')`)
  const person = (id: string, displayName: string, isAdmin: boolean, username: string) => ({
    id,
    displayName,
    user: { id, username, displayName, locale: 'en', isAdmin, roles: isAdmin ? [] : ['clerk'] },
  })
  const users = [
    person(adminId, 'Admin', true, 'admin'),
    person(clerkId, 'Clerk', false, 'clerk'),
    person(repB.id, 'Rep B', false, 'rep-b'),
  ]
  const accounts: World['accounts'] = []
  for (let i = 0; i < 5; i++) {
    const region = i === 4 ? null : rng.pick(REGIONS)
    const name = `Account ${i} 账户`
    const rec = await createRecord(ctx, 'account', { name, region })
    accounts.push({ id: rec.record.id as string, name, region })
  }
  const deals: WorldDeal[] = []
  for (let i = 0; i < 48; i++) {
    const items: WorldItem[] = Array.from({ length: rng.int(0, 3) }, () => ({
      category: maybe(rng, () => rng.pick(CATEGORIES)),
      qty: maybe(rng, () => rng.int(1, 20)),
      price: maybe(rng, () => rng.int(1, 999999)),
    }))
    const d: Omit<WorldDeal, 'id'> = {
      title: `Deal ${i}`,
      stage: maybe(rng, () => rng.pick(STAGES)),
      amount: maybe(rng, () => rng.int(0, 9999999)),
      qty: maybe(rng, () => rng.int(0, 50)),
      rate: maybe(rng, () => rng.int(-5000, 99999)),
      closeOn: maybe(rng, () => randomDay(rng)),
      closedAt: maybe(
        rng,
        () => `${randomDay(rng)}T${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:00.000Z`,
      ),
      owner: rng.pick(users).id,
      account: maybe(rng, () => rng.pick(accounts).id),
      items,
    }
    const rec = await createRecord(ctx, 'deal', {
      title: d.title,
      stage: d.stage,
      amount: d.amount === null ? null : { amount: d.amount / 100, currency: 'CNY' },
      qty: d.qty,
      rate: d.rate === null ? null : d.rate / 1000,
      closeOn: d.closeOn,
      closedAt: d.closedAt,
      owner: d.owner,
      account: d.account,
      secret: 12.5,
      items: items.map((it) => ({
        category: it.category,
        qty: it.qty,
        price: it.price === null ? null : it.price / 100,
      })),
    })
    deals.push({ id: rec.record.id as string, ...d })
  }
  return { users, accounts, deals }
}

import { sql } from 'drizzle-orm'
import { fixedClock } from '../../runtime/clock'
import type { Ctx, CurrentUser } from '../../runtime/context'
import { actOnTask } from '../../runtime/approvals'
import { fireTransition } from '../../runtime/flows'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from '../../runtime/identity'
import { createRecord } from '../../runtime/records'
import { DEMO_APPROVALS, type DemoApproval } from '../../seeds/demo/approval-plan'
import { DemoRandom } from '../../seeds/demo/random'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** Seed of the approvals' own draws (customers, products, quantities): apart from the records'. */
const APPROVAL_SEED = 20_250_630

interface Product {
  id: string
  name: string
  spec: string | null
  price: number
}

/**
 * Starts the demo's approvals (seeds/demo/approval-plan.ts) through the flow engine, after the
 * demo records are loaded: each record is created as its submitter, submitted by them, and
 * decided by its approvers through their tasks, every step with the instance's clock moved back
 * to when the plan says it happened. Does nothing once the instance has any approval (a second
 * load, or people already at work) or when the demo people or flows are missing. Answers how
 * many approvals it started.
 * @example await startDemoApprovals(installed) // 12
 */
export async function startDemoApprovals(ctx: Ctx): Promise<number> {
  if (!DEMO_APPROVALS.every((a) => ctx.meta.entities.has(a.entity))) return 0
  const [started] = await ctx.db.query<{ n: number }>(
    sql`select count(*)::int as n from flow_instances`,
  )
  if (started.n > 0) return 0
  const people = await loadPeople(ctx)
  const needed = DEMO_APPROVALS.flatMap((a) => [a.submitter, ...a.decisions.map((d) => d.by)])
  if (!needed.every((name) => people.has(name))) return 0
  const rng = new DemoRandom(APPROVAL_SEED)
  const products = await activeProducts(ctx)
  const now = ctx.clock.now().getTime()
  let count = 0
  for (const plan of DEMO_APPROVALS) {
    const at = (hoursAgo: number) => fixedClock(new Date(now - hoursAgo * HOUR_MS))
    const submitter = { ...ctx, user: people.get(plan.submitter)!, clock: at(plan.hoursAgo) }
    const values = await valuesOf(submitter, plan, rng, products, now)
    if (!values) continue
    const { record } = await createRecord(submitter, plan.entity, values)
    const { approval } = await fireTransition(submitter, plan.entity, String(record.id), 'submit', {
      version: record.version as number,
      comment: plan.comment,
    })
    if (!approval) throw new Error(`demo approval ${plan.key} did not start`)
    for (const d of plan.decisions) {
      const approver = { ...ctx, user: people.get(d.by)!, clock: at(d.hoursAgo) }
      await actOnTask(approver, await pendingTask(ctx, approval.id, approver.user.id), d.action, {
        comment: d.comment,
      })
    }
    count++
  }
  return count
}

/** The demo people as sessions load them (roles, manager, department), by username. */
async function loadPeople(ctx: Ctx): Promise<Map<string, CurrentUser>> {
  const rows = await ctx.db.query<CurrentUserRow>(
    sql`select ${currentUserColumns} from users u where not u.disabled`,
  )
  return new Map(rows.map((r) => [r.username, toCurrentUser(r)]))
}

/** Active products in catalogue order, for quote and order lines. */
async function activeProducts(ctx: Ctx): Promise<Product[]> {
  return ctx.db.query<Product>(sql`
    select id, name, spec, price::float8 as price from app.product
    where active is not false and price > 0 order by code, id`)
}

/**
 * A plan's field values: quotes and orders get one of the submitter's customers (by name) and
 * lines of the catalogue; an order's first line is sized to reach `minTotal`. Null when the
 * submitter has no customer or the catalogue is empty (a trimmed instance).
 */
async function valuesOf(
  ctx: Ctx,
  plan: DemoApproval,
  rng: DemoRandom,
  products: Product[],
  now: number,
): Promise<Record<string, unknown> | null> {
  const today = new Date(now).toISOString().slice(0, 10)
  const day = (offset: number) =>
    new Date(Date.parse(`${today}T00:00:00.000Z`) + offset * DAY_MS).toISOString().slice(0, 10)
  const values = plan.values(day)
  if (plan.entity !== 'quote' && plan.entity !== 'salesOrder') return values
  const customers = await ctx.db.query<{ id: string; name: string }>(sql`
    select id, name from app.customer where owner = ${ctx.user!.id}::uuid order by name, id`)
  if (!customers.length || !products.length) return null
  const customer = rng.pick(customers)
  const lines = rng.sample(products, rng.int(1, 3)).map((p) => ({
    product: p.id,
    description: [p.name, p.spec].filter(Boolean).join(' '),
    quantity: rng.int(2, 12),
    unitPrice: { amount: p.price, currency: 'CNY' },
    ...(plan.entity === 'salesOrder' ? { taxRate: 13 } : {}),
  }))
  if (plan.minTotal) {
    const first = lines[0]
    first.quantity = Math.ceil(plan.minTotal / 1.13 / first.unitPrice.amount)
  }
  const title = `${customer.name} · ${lines[0].description}`
  return {
    ...values,
    customer: customer.id,
    lines,
    ...(plan.entity === 'quote' ? { title } : {}),
  }
}

/** The id of the approver's pending task on an approval. */
async function pendingTask(ctx: Ctx, instanceId: string, userId: string): Promise<string> {
  const [task] = await ctx.db.query<{ id: string }>(sql`
    select id from approval_tasks
    where instance_id = ${instanceId}::uuid and assignee = ${userId}::uuid and status = 'pending'`)
  if (!task) throw new Error(`no pending task of ${userId} on approval ${instanceId}`)
  return task.id
}

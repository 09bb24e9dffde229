import { makeCustomerData } from './demo/customer-data'
import { DemoContext, type DemoLife, type DemoRecord } from './demo/demo-context'
import { makeEmployees } from './demo/hr-admin-data'
import { makeOfficeData } from './demo/office-data'
import { makeOrderData } from './demo/order-data'
import { makeOrderFinanceData } from './demo/order-finance-data'
import { makeSalesActivityData } from './demo/sales-activity-data'
import { makeServiceData } from './demo/service-data'
import { makeWeeklyPlans } from './demo/weekly-plan-data'

export type { DemoLife, DemoRecord }

/**
 * Entities with demo records, parents before the records that reference them: insert in this
 * order and every reference points at a row that already exists. Child rows (quote and order
 * lines) travel inside their parent under its child-table field.
 */
export const DEMO_ENTITY_ORDER = [
  'employee',
  'campaign',
  'customer',
  'lead',
  'contact',
  'opportunity',
  'followUp',
  'weeklyPlan',
  'outing',
  'product',
  'quote',
  'salesOrder',
  'payment',
  'invoice',
  'expense',
  'shipment',
  'ticket',
  'dispatch',
  'complaint',
  'returnVisit',
  'knowledgeArticle',
  'announcement',
  'leaveRequest',
  'expenseClaim',
  'scheduleItem',
] as const

/** The day demo dates are relative to when the caller gives none (keeps output reproducible). */
export const DEMO_TODAY = '2025-06-30'

/**
 * Makes the demo records of the four modules: the same scale, seed and day give the same records,
 * ids included. Scale 1 ≈ 200 customers. Auto-numbers and formulas are left out (the server
 * computes them on save); user and department fields name demo people and departments
 * (`toDemoUser`, `toDemoDepartment` in demo/people.ts) when the record is someone's work, and are
 * otherwise left to the loader.
 * @example generateDemoData(0.1).get('customer')?.length // 20
 */
export function generateDemoData(
  scale: number,
  seed = 1,
  today = DEMO_TODAY,
): Map<string, DemoRecord[]> {
  return generateDemo(scale, seed, today).records
}

/**
 * The demo records (as `generateDemoData`) and the lives of those that got where they are
 * step by step (tickets: reported, taken up, resolved, closed), for the loader to replay at
 * their times so that the audit trail, and what is computed from it (service levels), agree.
 * @example generateDemo(0.1).lives.get(ticketId)?.steps[0] // { at: '…', transition: 'start' }
 */
export function generateDemo(
  scale: number,
  seed = 1,
  today = DEMO_TODAY,
): { records: Map<string, DemoRecord[]>; lives: Map<string, DemoLife> } {
  const ctx = new DemoContext(scale, seed, today)
  makeEmployees(ctx)
  makeCustomerData(ctx)
  makeSalesActivityData(ctx)
  makeOrderData(ctx)
  makeOrderFinanceData(ctx)
  makeServiceData(ctx)
  makeOfficeData(ctx)
  // Last, so the records made before keep the random draws they had before weekly plans existed.
  makeWeeklyPlans(ctx)
  return { records: new Map(DEMO_ENTITY_ORDER.map((id) => [id, ctx.list(id)])), lives: ctx.lives }
}

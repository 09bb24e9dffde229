import type { DemoContext, DemoRecord } from './demo-context'
import type { DemoLocale } from './names'
import { DemoRandom } from './random'
import { phrase } from './phrases'

const METHODS = ['phone', 'visit', 'email', 'wechat', 'kakao', 'meeting']

/** Records of `entityId` grouped by the id in their `field` reference. */
export function groupBy(
  ctx: DemoContext,
  entityId: string,
  field: string,
): Map<string, DemoRecord[]> {
  const groups = new Map<string, DemoRecord[]>()
  for (const record of ctx.list(entityId)) {
    const key = record[field] as string | null
    if (!key) continue
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key)!.push(record)
  }
  return groups
}

/** A lost deal nobody won, in the words the field's help asks for. */
const NO_COMPETITOR: Record<DemoLocale, string> = { zh: '无', ko: '없음', en: 'none' }

/** Who won a lost deal: a named rival when that was the reason, else mostly one too. */
function competitorOf(rng: DemoRandom, reason: string, locale: DemoLocale): string {
  const named = reason === 'competitor' || rng.chance(0.6)
  return named ? phrase(rng, 'competitor', locale) : NO_COMPETITOR[locale]
}

function makeOpportunities(ctx: DemoContext, contactsOf: Map<string, DemoRecord[]>): void {
  const { rng } = ctx
  const customers = ctx.list('customer').filter((c) => c.status !== 'lost')
  const campaigns = ctx.list('campaign')
  // Competitors draw from a stream of their own: every other record keeps the draws it had.
  const rivals = new DemoRandom(7919)
  for (let i = 0; i < ctx.count(150); i++) {
    const customer = rng.pick(customers)
    const locale = ctx.localeOf.get(customer.id)!
    const stage = rng.weighted({
      qualification: 20,
      needsAnalysis: 18,
      proposal: 16,
      negotiation: 12,
      won: 20,
      lost: 14,
    })
    const closed = stage === 'won' || stage === 'lost'
    const lostReason =
      stage === 'lost'
        ? rng.pick(['price', 'competitor', 'noBudget', 'noDecision', 'productFit', 'other'])
        : null
    ctx.add('opportunity', {
      name: `${phrase(rng, 'opportunity', locale)} ${2024 + rng.int(1, 2)}`,
      customer: customer.id,
      contact: contactsOf.get(customer.id)?.[0]?.id ?? null,
      stage,
      amount: ctx.money(rng.int(2, 300) * 5000),
      expectedCloseDate: ctx.day(closed ? -rng.int(1, 300) : rng.int(5, 180)),
      source: rng.pick(['website', 'referral', 'exhibition', 'coldCall', 'advertising', 'other']),
      campaign: rng.chance(0.25) ? rng.pick(campaigns).id : null,
      lostReason,
      // The flow asks who won a lost deal: a named rival when that was the reason.
      competitor: lostReason ? competitorOf(rivals, lostReason, locale) : null,
      lostNote: stage === 'lost' ? phrase(rng, 'lostNote', locale) : null,
    })
  }
}

function makeFollowUps(ctx: DemoContext, contactsOf: Map<string, DemoRecord[]>): void {
  const { rng } = ctx
  const customers = ctx.list('customer')
  const opportunitiesOf = groupBy(ctx, 'opportunity', 'customer')
  for (let i = 0; i < ctx.count(600); i++) {
    const customer = rng.pick(customers)
    const locale = ctx.localeOf.get(customer.id)!
    const days = -rng.int(0, 365)
    const opportunities = opportunitiesOf.get(customer.id) ?? []
    const method =
      locale === 'zh'
        ? rng.pick(METHODS.filter((m) => m !== 'kakao'))
        : rng.pick(METHODS.filter((m) => m !== 'wechat'))
    const followUp = ctx.add('followUp', {
      subject: phrase(rng, 'followUpSubject', locale),
      customer: customer.id,
      contact: contactsOf.has(customer.id) ? rng.pick(contactsOf.get(customer.id)!).id : null,
      opportunity: opportunities.length > 0 && rng.chance(0.5) ? rng.pick(opportunities).id : null,
      method,
      followUpAt: ctx.at(days, rng.int(1, 9), rng.pick([0, 15, 30, 45])),
      content: phrase(rng, 'followUpContent', locale),
      nextStep: rng.chance(0.7) ? phrase(rng, 'nextStep', locale) : null,
      nextFollowUpDate: rng.chance(0.6) ? ctx.day(days + rng.int(1, 21)) : null,
      managerComment: rng.chance(0.4) ? phrase(rng, 'managerComment', locale) : null,
    })
    // A follow-up with a manager comment went through the review flow; the rest are not submitted.
    followUp.reviewStatus = followUp.managerComment ? 'reviewed' : 'draft'
  }
}

function makeOutings(ctx: DemoContext): void {
  const { rng } = ctx
  const customers = ctx.list('customer')
  for (let i = 0; i < ctx.count(80); i++) {
    const customer = rng.chance(0.8) ? rng.pick(customers) : null
    const days = rng.int(-120, 20)
    const startAt = ctx.at(days, rng.int(0, 6), rng.pick([0, 30]))
    const endAt = ctx.addHours(startAt, rng.int(2, 7))
    const status = days > 0 ? 'planned' : rng.chance(0.9) ? 'done' : 'cancelled'
    const locale = customer ? ctx.localeOf.get(customer.id)! : 'zh'
    ctx.add('outing', {
      subject: customer
        ? `${phrase(rng, 'followUpSubject', locale)} · ${customer.name}`
        : '工商局办理营业执照变更',
      customer: customer?.id ?? null,
      destination: customer ? customer.address : '市民中心',
      startAt,
      endAt,
      status,
      purpose: customer ? phrase(rng, 'nextStep', locale) : null,
      checkIn:
        status === 'done'
          ? { lat: 31.2 + rng.int(0, 999) / 1000, lng: 121.4 + rng.int(0, 999) / 1000, at: startAt }
          : null,
    })
  }
}

/** Opportunities, follow-up records and outings over the customers already made. */
export function makeSalesActivityData(ctx: DemoContext): void {
  const contactsOf = groupBy(ctx, 'contact', 'customer')
  makeOpportunities(ctx, contactsOf)
  makeFollowUps(ctx, contactsOf)
  makeOutings(ctx)
}

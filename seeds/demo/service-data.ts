import type { DemoContext } from './demo-context'
import { DEMO_WORKERS, toDemoUser } from './people'
import { phrase } from './phrases'
import { groupBy } from './sales-activity-data'
import { planTicketLife, type TicketLife } from './ticket-life'

/** The service agent a piece of service work goes to, in turn. */
const agent = (i: number) => toDemoUser(DEMO_WORKERS.service[i % DEMO_WORKERS.service.length])

/** How each demo ticket ends up (its status and resolution time), by ticket id. */
type TicketEnds = Map<string, TicketLife>

const ARTICLES: [string, string, string[]][] = [
  ['设备无法开机的排查步骤', 'troubleshooting', ['hardware']],
  ['How to reset a user password', 'howTo', ['account']],
  ['네트워크 연결 오류 해결 방법', 'troubleshooting', ['network']],
  ['新设备安装前的现场准备', 'howTo', ['installation', 'hardware']],
  ['Invoice and billing FAQ', 'faq', ['billing']],
  ['保修与维保服务政策', 'policy', []],
  ['모바일 앱 설치 안내', 'howTo', ['installation']],
  ['Gateway firmware update guide', 'howTo', ['hardware', 'network']],
]

/**
 * Tickets are reported over the last half year, one in each of `count` slots so that every month
 * has some; slots narrow towards today (power `RECENT`), as a desk's recent weeks are fuller.
 */
const REPORTED_OVER_DAYS = 180
const RECENT = 1.4

function makeTickets(ctx: DemoContext): TicketEnds {
  const { rng } = ctx
  const ends: TicketEnds = new Map()
  const contactsOf = groupBy(ctx, 'contact', 'customer')
  const customers = ctx.list('customer').filter((c) => c.status !== 'prospect')
  const now = new Date(ctx.at(0, 0))
  const n = ctx.count(150)
  for (let i = 0; i < n; i++) {
    const customer = rng.pick(customers)
    const locale = ctx.localeOf.get(customer.id)!
    const priority = rng.weighted({ low: 2, normal: 5, high: 2, urgent: 1 })
    // Oldest first, so ticket numbers (and their dispatches') run with the days they were reported.
    const slot = n - 1 - i
    const daysAgo = 1 + Math.floor((REPORTED_OVER_DAYS - 1) * ((slot + rng.next()) / n) ** RECENT)
    const reportedAt = ctx.at(-daysAgo, rng.int(0, 10), rng.pick([5, 20, 35, 50]))
    const life = planTicketLife(rng, new Date(reportedAt), now, {
      priority,
      level: customer.level,
    })
    const done = life.resolvedAt !== null
    const subject = phrase(rng, 'ticketSubject', locale)
    const ticket = ctx.add('ticket', {
      subject,
      customer: customer.id,
      contact: contactsOf.get(customer.id)?.[0]?.id ?? null,
      category: rng.pick(['installation', 'repair', 'consultation', 'maintenance', 'other']),
      priority,
      // Reported: the flow and the service levels take it from there (the loader replays `life`).
      status: 'new',
      assignee: agent(i),
      channel: rng.pick(
        locale === 'ko'
          ? ['phone', 'email', 'portal', 'kakao']
          : ['phone', 'email', 'portal', 'wechat'],
      ),
      reportedAt,
      description: `<p>${subject}</p>`,
      resolution: done ? phrase(rng, 'resolution', locale) : null,
    })
    // The customer rates a ticket when it is closed, seven times in ten.
    const close = life.steps.at(-1)
    if (close && 'values' in close && rng.chance(0.7))
      close.values.satisfaction = rng.pick([5, 5, 5, 5, 5, 4, 4, 4, 3, 2])
    ctx.lives.set(ticket.id, { createdAt: reportedAt, steps: life.steps })
    ends.set(ticket.id, life)
  }
  return ends
}

function makeDispatches(ctx: DemoContext, ends: TicketEnds): void {
  const { rng } = ctx
  const onSite = ctx
    .list('ticket')
    .filter((t) => ['installation', 'repair', 'maintenance'].includes(String(t.category)))
  for (const [i, ticket] of onSite.entries()) {
    const done = ends.get(ticket.id)!.resolvedAt !== null
    // The work of a resolved ticket is done: its hours and notes are in, the dispatch completed.
    const status = done
      ? 'completed'
      : rng.weighted({ notDispatched: 1, dispatched: 1, confirmed: 1 })
    const customer = ctx.list('customer').find((c) => c.id === ticket.customer)!
    const dispatch = ctx.add('dispatch', {
      ticket: ticket.id,
      customer: ticket.customer,
      status,
      engineer: agent(i),
      scheduledAt:
        status === 'notDispatched' ? null : ctx.addHours(String(ticket.reportedAt), rng.int(2, 20)),
      address: customer.address,
      workHours: done ? rng.int(2, 16) / 2 : null,
      notes: done ? ticket.resolution : null,
    })
    // Made an hour after its ticket was reported, so its number and history date from then.
    ctx.lives.set(dispatch.id, { createdAt: ctx.addHours(String(ticket.reportedAt), 1), steps: [] })
  }
}

function makeComplaintsAndVisits(ctx: DemoContext, ends: TicketEnds): void {
  const { rng } = ctx
  const tickets = ctx.list('ticket')
  for (let i = 0; i < ctx.count(30); i++) {
    const ticket = rng.pick(tickets)
    const locale = ctx.localeOf.get(String(ticket.customer))!
    const status = rng.weighted({ open: 2, investigating: 2, resolved: 2, closed: 4 })
    ctx.add('complaint', {
      subject: phrase(rng, 'complaint', locale),
      customer: ticket.customer,
      ticket: rng.chance(0.7) ? ticket.id : null,
      severity: rng.weighted({ minor: 5, major: 3, critical: 1 }),
      status,
      owner: agent(i),
      receivedAt: ctx.addHours(String(ticket.reportedAt), rng.int(1, 72)),
      description: phrase(rng, 'complaint', locale),
      resolution:
        status === 'resolved' || status === 'closed' ? phrase(rng, 'resolution', locale) : null,
    })
  }
  const closed = tickets.filter((t) => ends.get(t.id)!.status === 'closed')
  for (const [i, ticket] of rng.sample(closed, Math.min(closed.length, ctx.count(80))).entries()) {
    const satisfaction = rng.weighted({
      verySatisfied: 4,
      satisfied: 4,
      neutral: 2,
      dissatisfied: 1,
    })
    ctx.add('returnVisit', {
      summary: `${ticket.subject}`,
      customer: ticket.customer,
      ticket: ticket.id,
      visitDate: ctx.day(
        Math.min(0, ctx.daysFromAnchor(ends.get(ticket.id)!.resolvedAt!) + rng.int(1, 7)),
      ),
      method: rng.pick(['phone', 'phone', 'visit', 'email']),
      owner: agent(i),
      satisfaction,
      followUpNeeded: satisfaction === 'dissatisfied',
      feedback:
        satisfaction === 'dissatisfied'
          ? phrase(rng, 'complaint', ctx.localeOf.get(String(ticket.customer))!)
          : null,
    })
  }
}

function makeArticles(ctx: DemoContext): void {
  const { rng } = ctx
  for (let i = 0; i < ctx.count(30); i++) {
    const [title, category, tags] = ARTICLES[i % ARTICLES.length]
    const round = Math.floor(i / ARTICLES.length)
    ctx.add('knowledgeArticle', {
      title: round ? `${title} (${round + 1})` : title,
      category,
      tags,
      keywords: tags.join(', ') || null,
      published: rng.chance(0.8),
      author: agent(i),
      body: `<h2>${title}</h2><ol><li>…</li><li>…</li></ol>`,
    })
  }
}

/** Tickets with SLA deadlines, their dispatches, complaints, return visits and knowledge articles. */
export function makeServiceData(ctx: DemoContext): void {
  const ends = makeTickets(ctx)
  makeDispatches(ctx, ends)
  makeComplaintsAndVisits(ctx, ends)
  makeArticles(ctx)
}

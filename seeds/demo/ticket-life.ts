import { toMinutes, type Calendar, type Sla } from '../../metadata'
import { addBusinessMinutes } from '../../runtime/sla/business-time'
import { matchPolicy } from '../../runtime/sla/plan-sla'
import chinaOffice from '../service/calendars/china-office.json'
import ticketSla from '../service/slas/ticket-sla.json'
import type { DemoStep } from './demo-context'
import type { DemoRandom } from './random'

/*
 * A demo ticket's life under the shipped service levels: when an agent took it up and resolved
 * it, in business time of the SLA's calendar, so that most meet their targets and some miss
 * them, by hours, as a real desk does. The SLA engine reads the replayed history and agrees.
 */

const SLA = ticketSla as unknown as Sla
const CALENDAR = chinaOffice as unknown as Calendar
const HOUR_MS = 3_600_000

/** How often a resolved ticket missed its resolution target, and an open one is stuck. */
const MISSED = 0.25
const STUCK = 0.12

/** What a ticket is now and the steps that brought it there. */
export interface TicketLife {
  status: 'new' | 'inProgress' | 'waiting' | 'resolved' | 'closed'
  /** When it was resolved, null while open. */
  resolvedAt: string | null
  steps: DemoStep[]
}

/** What the SLA's policies match on. */
export interface TicketTraits {
  priority: string
  /** The customer's level (A, B, C). */
  level: unknown
}

/** The business minutes of the matching policy's targets (the standard policy's when none). */
function targetsOf(traits: TicketTraits): { respond: number; resolve: number } {
  const policy = matchPolicy(SLA, (key) => (key === 'priority' ? traits.priority : traits.level))
  return {
    respond: toMinutes(policy?.firstResponse ?? { hours: 4 }),
    resolve: toMinutes(policy?.resolution ?? { hours: 24 }),
  }
}

const later = (at: Date, minutes: number) => addBusinessMinutes(CALENDAR, at, minutes)
const iso = (at: Date) => at.toISOString()

/**
 * The life of a ticket reported at `reported`, seen at `now`: taken up within its first-response
 * target nine times in ten, resolved within its resolution target three times in four (else some
 * business hours late), closed one to five days after; recent ones are still open.
 * @example planTicketLife(rng, reported, now, { priority: 'urgent', level: 'B' }).status
 */
export function planTicketLife(
  rng: DemoRandom,
  reported: Date,
  now: Date,
  traits: TicketTraits,
): TicketLife {
  const target = targetsOf(traits)
  const open = (status: TicketLife['status'], steps: DemoStep[] = []): TicketLife => ({
    status,
    resolvedAt: null,
    steps,
  })
  const share = rng.chance(0.9) ? rng.int(20, 90) : rng.int(110, 200)
  const responded = later(reported, (target.respond * share) / 100)
  if (+responded > +now) return open('new')
  const start: DemoStep = { at: iso(responded), transition: 'start' }
  if (rng.chance(STUCK)) {
    const waitAt = new Date(Math.min(+now, +responded + rng.int(1, 8) * HOUR_MS))
    return rng.chance(0.5)
      ? open('waiting', [start, { at: iso(waitAt), transition: 'wait' }])
      : open('inProgress', [start])
  }
  const minutes = rng.chance(MISSED)
    ? target.resolve + rng.int(1, 16) * 30
    : (target.resolve * rng.int(15, 95)) / 100
  const resolved = new Date(Math.max(+later(reported, minutes), +responded + 10 * 60_000))
  if (+resolved > +now) return open('inProgress', [start])
  const steps: DemoStep[] = [start, { at: iso(resolved), transition: 'resolve' }]
  const closed = new Date(+resolved + rng.int(24, 120) * HOUR_MS)
  const closes = +closed <= +now && rng.chance(0.85)
  if (closes) steps.push({ at: iso(closed), values: { status: 'closed' } })
  return { status: closes ? 'closed' : 'resolved', resolvedAt: iso(resolved), steps }
}

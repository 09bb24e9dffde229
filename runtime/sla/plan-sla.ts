import {
  DEFAULT_WARN_AT,
  toMinutes,
  type Calendar,
  type Sla,
  type SlaMatchValue,
  type SlaPolicy,
} from '../../metadata'
import { addBusinessMinutes, businessMinutesBetween } from './business-time'

/** The targets an SLA keeps, and the milestones of each. */
export const SLA_TARGETS = ['firstResponse', 'resolution'] as const
export type SlaTarget = (typeof SLA_TARGETS)[number]
export type SlaMilestone = 'warning' | 'breach'

/** The record's status from `at` until the next change (the first one: since creation). */
export interface StatusChange {
  status: string | null
  at: Date
}

/** A milestone timer the record should have now. */
export interface SlaTimerPlan {
  target: SlaTarget
  milestone: SlaMilestone
  dueAt: Date
}

/** What an SLA makes of a record at `now`: field values to write and timers to keep. */
export interface SlaPlan {
  policy: SlaPolicy | null
  /** Field name → value, for the fields the SLA writes. */
  values: Record<string, string | number | boolean | null>
  timers: SlaTimerPlan[]
}

export interface SlaInput {
  sla: Sla
  calendars: ReadonlyMap<string, Calendar>
  /** The record, with match paths one hop away already read (`customer.level`). */
  record: Record<string, unknown>
  /** Values of dotted match keys (`customer.level` → 'vip'). */
  lookups: Record<string, unknown>
  /** The status history, oldest first; the first entry is the status at creation. */
  history: StatusChange[]
  now: Date
}

/** The first policy whose every match holds (a policy without match takes any record). */
export function matchPolicy(sla: Sla, read: (key: string) => unknown): SlaPolicy | null {
  const holds = (values: SlaMatchValue[], actual: unknown) => values.some((v) => v === actual)
  return (
    sla.policies.find((p) =>
      Object.entries(p.match ?? {}).every(([key, values]) => holds(values, read(key))),
    ) ?? null
  )
}

/** When the status first left the awaiting-response values (creation, if it never held one). */
function respondedAt(sla: Sla, history: StatusChange[]): Date | null {
  const waiting = (s: string | null) => s !== null && sla.respondedWhenLeaving.includes(s)
  return history.find((h) => !waiting(h.status))?.at ?? null
}

/** When the record entered the resolved state it is in now, null when it is not resolved. */
function resolvedAt(sla: Sla, history: StatusChange[]): Date | null {
  const resolved = (s: string | null) => s !== null && sla.resolvedIn.includes(s)
  let since: Date | null = null
  for (const h of history) since = resolved(h.status) ? (since ?? h.at) : null
  return since
}

/** Business minutes spent in a paused status between `start` and `until`. */
function pausedMinutes(input: SlaInput, cal: Calendar, start: Date, until: Date): number {
  const paused = new Set(input.sla.pausedIn ?? [])
  let total = 0
  input.history.forEach((h, i) => {
    if (h.status === null || !paused.has(h.status)) return
    const end = input.history[i + 1]?.at ?? until
    const from = new Date(Math.max(+h.at, +start))
    const to = new Date(Math.min(+end, +until))
    total += businessMinutesBetween(cal, from, to)
  })
  return total
}

/**
 * Plans an SLA for one record at `now`, purely: the matching policy, each target's due time
 * (business time from the start, pushed out by the paused time up to when the target was met
 * or now), breach flags, and the warning and breach timers of targets not met and not paused.
 * @example planSla({ sla, calendars, record, lookups: {}, history, now }).values
 * // { slaDueAt: '2027-09-14T05:00:00.000Z', slaBreached: false, … }
 */
export function planSla(input: SlaInput): SlaPlan {
  const { sla, record, now } = input
  const fields = sla.fields
  const policy = matchPolicy(sla, (key) => (key.includes('.') ? input.lookups[key] : record[key]))
  const values: SlaPlan['values'] = {}
  const set = (field: string | undefined, value: string | number | boolean | null) => {
    if (field) values[field] = value
  }
  const responded = respondedAt(sla, input.history)
  set(fields.respondedAt, responded?.toISOString() ?? null)
  const cal = policy && input.calendars.get(policy.calendar ?? sla.calendar)
  const startValue = record[sla.startField ?? 'createdAt']
  if (!policy || !cal || startValue == null) {
    for (const f of [fields.firstResponseDue, fields.resolutionDue, fields.pausedMinutes])
      set(f, null)
    for (const f of [fields.firstResponseBreached, fields.resolutionBreached]) set(f, false)
    return { policy, values, timers: [] }
  }
  const start = new Date(startValue as string)
  const status = input.history.at(-1)?.status ?? null
  const isPaused = status !== null && (sla.pausedIn ?? []).includes(status)
  const met = { firstResponse: responded, resolution: resolvedAt(sla, input.history) }
  const timers: SlaTimerPlan[] = []
  const warnAt = policy.warnAt ?? sla.warnAt ?? DEFAULT_WARN_AT
  for (const target of SLA_TARGETS) {
    const dueField = target === 'firstResponse' ? fields.firstResponseDue : fields.resolutionDue
    const flagField =
      target === 'firstResponse' ? fields.firstResponseBreached : fields.resolutionBreached
    const goal = policy[target]
    if (!goal) {
      set(dueField, null)
      set(flagField, false)
      continue
    }
    const stop = met[target] ?? now
    const paused = pausedMinutes(input, cal, start, stop)
    const due = addBusinessMinutes(cal, start, toMinutes(goal) + paused)
    const breached = met[target] ? +met[target] > +due : +now >= +due
    set(dueField, due.toISOString())
    set(flagField, breached)
    if (met[target] || isPaused) continue
    if (!breached) {
      const warning = addBusinessMinutes(cal, start, toMinutes(goal) * warnAt + paused)
      timers.push({ target, milestone: 'warning', dueAt: warning })
    }
    timers.push({ target, milestone: 'breach', dueAt: due })
  }
  set(fields.pausedMinutes, Math.round(pausedMinutes(input, cal, start, met.resolution ?? now)))
  return { policy, values, timers }
}

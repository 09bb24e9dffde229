import { describe, expect, it } from 'vitest'
import type { Alert } from './alert'
import type { Calendar } from './calendar'
import type { Entity } from './entity'
import { validateReferences } from './references'
import type { Sla } from './sla'
import { validateDefinition } from './validate'

const calendar: Calendar = {
  id: 'china-office',
  label: { en: 'China office' },
  timeZone: 'Asia/Shanghai',
  hours: { mon: [{ from: '09:00', to: '18:00' }] },
}
const sla: Sla = {
  id: 'ticket-sla',
  label: { en: 'Ticket SLA' },
  entity: 'ticket',
  calendar: 'china-office',
  statusField: 'status',
  respondedWhenLeaving: ['new'],
  resolvedIn: ['resolved'],
  pausedIn: ['waiting'],
  fields: { resolutionDue: 'slaDueAt' },
  policies: [{ id: 'all', resolution: { hours: 8 } }],
}

describe('calendar checks', () => {
  it('accepts a plain office calendar', () => {
    expect(validateDefinition('calendar', calendar)).toEqual([])
  })
  it('names a bad zone, overlapping periods, impossible and repeated dates', () => {
    const bad: Calendar = {
      ...calendar,
      timeZone: 'Asia/Atlantis',
      hours: {
        mon: [
          { from: '09:00', to: '12:00' },
          { from: '11:00', to: '18:00' },
        ],
        tue: [{ from: '18:00', to: '09:00' }],
      },
      holidays: [{ date: '2027-02-30' }, { date: '2027-10-01' }],
      workdays: [{ date: '2027-10-01' }],
    }
    expect(validateDefinition('calendar', bad)).toEqual([
      { path: 'timeZone', message: "'Asia/Atlantis' is not an IANA time zone" },
      { path: 'hours.mon[1].from', message: 'overlaps or comes before the previous period' },
      { path: 'hours.tue[0].to', message: 'must be after from (18:00)' },
      { path: 'holidays[0].date', message: '2027-02-30 is not a date' },
      { path: 'workdays[0].date', message: "duplicate date '2027-10-01'" },
    ])
  })
  it('refuses a week without working time', () => {
    expect(validateDefinition('calendar', { ...calendar, hours: {} })).toEqual([
      { path: 'hours', message: 'no weekday has working time: targets would never be due' },
    ])
  })
})

describe('sla checks', () => {
  it('accepts a minimal SLA', () => {
    expect(validateDefinition('sla', sla)).toEqual([])
  })
  it('names empty targets, hidden policies, paused-and-resolved statuses and fields written twice', () => {
    const bad: Sla = {
      ...sla,
      pausedIn: ['resolved'],
      fields: { resolutionDue: 'slaDueAt', firstResponseDue: 'slaDueAt' },
      policies: [
        { id: 'all', resolution: { minutes: 0 } },
        { id: 'urgent', match: { priority: ['urgent'] } },
      ],
    }
    expect(validateDefinition('sla', bad)).toEqual([
      { path: 'policies[0].resolution', message: 'must be longer than 0' },
      {
        path: 'policies[0].match',
        message: 'matches every record, so the policies after it never apply',
      },
      { path: 'policies[1]', message: 'needs a firstResponse or a resolution target' },
      { path: 'pausedIn[0]', message: "'resolved' is also in resolvedIn" },
      { path: 'fields.firstResponseDue', message: "duplicate field 'slaDueAt'" },
    ])
  })
  it('refuses a warning share outside 0–1 by schema', () => {
    expect(validateDefinition('sla', { ...sla, warnAt: 1 })[0]?.path).toBe('warnAt')
  })
})

describe('sla alert coverage', () => {
  const ticket: Entity = {
    id: 'ticket',
    label: { en: 'Ticket' },
    fields: [
      {
        name: 'status',
        type: 'select',
        label: { en: 'Status' },
        options: ['new', 'waiting', 'resolved'].map((value) => ({ value, label: { en: value } })),
      },
      { name: 'slaDueAt', type: 'datetime', label: { en: 'Due' } },
    ],
  }
  const late: Alert = {
    id: 'late',
    label: { en: 'Late' },
    entity: 'ticket',
    trigger: { type: 'sla', milestone: 'breach', target: 'resolution' },
    recipients: [{ type: 'owner' }],
    channels: [{ type: 'inApp' }],
    template: { en: { title: 'Late', body: 'Late' } },
  }
  const bundle = { packages: [], entities: [ticket], forms: [], views: [], alerts: [late] }

  it('refuses an sla alert on an entity no SLA covers, at its trigger', () => {
    expect(validateReferences(bundle)).toEqual([
      { path: 'alerts[late].trigger', message: "no SLA covers 'ticket', so it would never fire" },
    ])
    expect(validateReferences({ ...bundle, calendars: [calendar], slas: [sla] })).toEqual([])
  })
})

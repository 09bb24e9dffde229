import { describe, expect, it } from 'vitest'
import { WEEKDAYS, type Calendar, type WorkPeriod } from '../../metadata'
import { addBusinessMinutes, businessMinutesBetween } from './business-time'

const nineToSix: WorkPeriod[] = [{ from: '09:00', to: '18:00' }]
const china: Calendar = {
  id: 'china-office',
  label: { en: 'China office' },
  timeZone: 'Asia/Shanghai',
  hours: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix },
  holidays: ['2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'].map((date) => ({
    date,
  })),
  workdays: [
    { date: '2027-10-09' },
    { date: '2027-09-26', hours: [{ from: '10:00', to: '12:00' }] },
  ],
}
const lunch: WorkPeriod[] = [
  { from: '09:00', to: '12:00' },
  { from: '13:00', to: '18:00' },
]
const newYork: Calendar = {
  id: 'ny',
  label: { en: 'New York' },
  timeZone: 'America/New_York',
  hours: {
    mon: lunch,
    tue: lunch,
    wed: lunch,
    thu: lunch,
    fri: lunch,
    sun: [{ from: '00:00', to: '24:00' }],
  },
}
const iso = (d: Date) => d.toISOString()

describe('addBusinessMinutes', () => {
  it('adds within one working day', () => {
    // 10:00 Shanghai = 02:00Z
    expect(iso(addBusinessMinutes(china, new Date('2027-09-13T02:00:00Z'), 90))).toBe(
      '2027-09-13T03:30:00.000Z',
    )
  })
  it('starts at the next opening when begun outside hours', () => {
    // Saturday 2027-09-18 → Monday 09:00 Shanghai (01:00Z) + 30 min
    expect(iso(addBusinessMinutes(china, new Date('2027-09-18T05:00:00Z'), 30))).toBe(
      '2027-09-20T01:30:00.000Z',
    )
  })
  it('ends exactly at closing time rather than at the next opening', () => {
    expect(iso(addBusinessMinutes(china, new Date('2027-09-13T01:00:00Z'), 540))).toBe(
      '2027-09-13T10:00:00.000Z',
    )
  })
  it('skips the weekend', () => {
    // Friday 17:00 + 2h → Monday 10:00
    expect(iso(addBusinessMinutes(china, new Date('2027-09-17T09:00:00Z'), 120))).toBe(
      '2027-09-20T02:00:00.000Z',
    )
  })
  it('skips holidays and works the extra Saturday with Monday hours', () => {
    // Thu 30 Sep 17:00 + 1h → Fri 1 Oct holiday, weekend, 4–7 holidays, Fri 8 Oct 10:00
    expect(iso(addBusinessMinutes(china, new Date('2027-09-30T09:00:00Z'), 120))).toBe(
      '2027-10-08T02:00:00.000Z',
    )
    // Fri 8 Oct 17:00 + 2h → Sat 9 Oct (workday) 10:00
    expect(iso(addBusinessMinutes(china, new Date('2027-10-08T09:00:00Z'), 120))).toBe(
      '2027-10-09T02:00:00.000Z',
    )
  })
  it('uses the hours a workday gives', () => {
    // Sat 26 Sep 2027 works 10:00–12:00 only: 3h from 10:00 ends Mon 27 Sep 10:00
    expect(iso(addBusinessMinutes(china, new Date('2027-09-26T02:00:00Z'), 180))).toBe(
      '2027-09-27T02:00:00.000Z',
    )
  })
  it('skips the lunch break', () => {
    // 11:00 New York (EDT, 15:00Z) + 2h → 14:00 EDT = 18:00Z
    expect(iso(addBusinessMinutes(newYork, new Date('2027-06-02T15:00:00Z'), 120))).toBe(
      '2027-06-02T18:00:00.000Z',
    )
  })
  it('counts real hours across daylight saving changes', () => {
    // Sunday 14 March 2027 loses 02:00–03:00: from 00:00 EST, 5 business hours end 06:00 EDT
    expect(iso(addBusinessMinutes(newYork, new Date('2027-03-14T05:00:00Z'), 300))).toBe(
      '2027-03-14T10:00:00.000Z',
    )
    // Sunday 7 November 2027 repeats 01:00–02:00: the day has 25 working hours
    expect(
      businessMinutesBetween(
        newYork,
        new Date('2027-11-07T04:00:00Z'),
        new Date('2027-11-08T05:00:00Z'),
      ),
    ).toBe(25 * 60)
  })
  it('keeps the start for zero minutes and refuses a calendar without working time', () => {
    const at = new Date('2027-09-18T05:00:00Z')
    expect(iso(addBusinessMinutes(china, at, 0))).toBe(iso(at))
    expect(() => addBusinessMinutes({ ...china, hours: {}, workdays: [] }, at, 1)).toThrow(
      /no working time/,
    )
  })
  it('reads hours in the calendar time zone, not the server one', () => {
    const seoul: Calendar = {
      ...china,
      id: 'seoul',
      timeZone: 'Asia/Seoul',
      holidays: [],
      workdays: [],
    }
    // 09:00 Seoul is 00:00Z; 09:00 Shanghai is 01:00Z
    expect(iso(addBusinessMinutes(seoul, new Date('2027-09-13T00:00:00Z'), 1))).toBe(
      '2027-09-13T00:01:00.000Z',
    )
    expect(iso(addBusinessMinutes(china, new Date('2027-09-13T00:00:00Z'), 1))).toBe(
      '2027-09-13T01:01:00.000Z',
    )
  })
})

describe('businessMinutesBetween', () => {
  it('counts only working time and keeps fractions', () => {
    expect(
      businessMinutesBetween(
        china,
        new Date('2027-09-17T09:00:00Z'),
        new Date('2027-09-20T02:00:00Z'),
      ),
    ).toBe(120)
    expect(
      businessMinutesBetween(
        china,
        new Date('2027-09-13T02:00:00Z'),
        new Date('2027-09-13T02:00:30Z'),
      ),
    ).toBe(0.5)
    expect(
      businessMinutesBetween(
        china,
        new Date('2027-09-20T02:00:00Z'),
        new Date('2027-09-17T09:00:00Z'),
      ),
    ).toBe(0)
  })
  it('inverts addBusinessMinutes', () => {
    const start = new Date('2027-09-29T06:17:00Z')
    for (const minutes of [1, 59, 540, 541, 5000]) {
      const end = addBusinessMinutes(china, start, minutes)
      expect(businessMinutesBetween(china, start, end)).toBe(minutes)
    }
  })
})

// ---- A brute-force reference: walk minute by minute, asking Intl for each minute's wall time.

const wallParts = new Map<string, Intl.DateTimeFormat>()
function isWorkingMinute(cal: Calendar, at: number): boolean {
  let f = wallParts.get(cal.timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: cal.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    })
    wallParts.set(cal.timeZone, f)
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]))
  const date = `${parts.year}-${parts.month}-${parts.day}`
  if (cal.holidays?.some((h) => h.date === date)) return false
  const workday = cal.workdays?.find((w) => w.date === date)
  const weekday = parts.weekday.toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]
  const periods = workday ? (workday.hours ?? cal.hours.mon ?? []) : (cal.hours[weekday] ?? [])
  const minute = Number(parts.hour) * 60 + Number(parts.minute)
  const toM = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
  return periods.some((p) => toM(p.from) <= minute && minute < toM(p.to))
}

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number) {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

function randomCalendar(next: () => number, zone: string): Calendar {
  const hours: Calendar['hours'] = {}
  for (const day of WEEKDAYS) {
    if (next() < 0.3) continue
    const cuts = [
      ...new Set(
        Array.from({ length: 2 + 2 * Math.floor(next() * 2) }, () => Math.floor(next() * 25)),
      ),
    ].sort((a, b) => a - b)
    const periods: WorkPeriod[] = []
    for (let i = 0; i + 1 < cuts.length; i += 2)
      periods.push({
        from: `${String(cuts[i]).padStart(2, '0')}:00`,
        to: `${String(cuts[i + 1]).padStart(2, '0')}:00`,
      })
    if (periods.length) hours[day] = periods
  }
  if (!Object.keys(hours).length) hours.mon = [{ from: '09:00', to: '17:00' }]
  const date = (d: number) => new Date(Date.UTC(2027, 2, d)).toISOString().slice(0, 10)
  return {
    id: 'random',
    label: { en: 'Random' },
    timeZone: zone,
    hours,
    holidays: [date(1 + Math.floor(next() * 20)), date(21 + Math.floor(next() * 10))].map((d) => ({
      date: d,
    })),
    workdays: [{ date: date(31 + Math.floor(next() * 10)) }],
  }
}

const ZONES = [
  'Asia/Shanghai',
  'Asia/Seoul',
  'Asia/Kolkata',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
]

/** The day before each daylight-saving change of 2027, so every change is crossed. */
const DST_DAYS: Record<string, string[]> = {
  'America/New_York': ['2027-03-13', '2027-11-06'],
  'Europe/Berlin': ['2027-03-27', '2027-10-30'],
  'Australia/Lord_Howe': ['2027-04-03', '2027-10-02'],
}

describe('business time against a minute-by-minute reference', () => {
  it.each(ZONES)(
    'agrees on random calendars and spans in %s (daylight saving included)',
    (zone) => {
      const next = random(zone.length * 7919)
      for (let n = 0; n < 8; n++) {
        const cal = randomCalendar(next, zone)
        const pinned = DST_DAYS[zone]?.[n]
        const start = pinned
          ? Date.parse(`${pinned}T00:00:00Z`) + Math.floor(next() * 24 * 60) * 60_000
          : Date.UTC(2027, 2, 1) + Math.floor(next() * 35 * 24 * 60) * 60_000
        const span = Math.floor(next() * 6 * 24 * 60)
        let working = 0
        let nth = Math.floor(next() * 600) + 1
        let nthEnd: number | null = null
        for (let m = 0; m < span; m++) {
          if (!isWorkingMinute(cal, start + m * 60_000)) continue
          working++
          if (working === nth) nthEnd = start + (m + 1) * 60_000
        }
        const between = businessMinutesBetween(
          cal,
          new Date(start),
          new Date(start + span * 60_000),
        )
        expect(between, `${zone} case ${n}`).toBe(working)
        if (nthEnd !== null)
          expect(+addBusinessMinutes(cal, new Date(start), nth), `${zone} case ${n} +${nth}`).toBe(
            nthEnd,
          )
        else nth = 0
      }
    },
  )
})

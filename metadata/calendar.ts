import { definitionIdSchema, packageIdSchema } from './id-patterns'
import type { Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** Days of the working week, as calendars key their hours. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** One stretch of working time in a day, local to the calendar: `from` up to (not incl.) `to`. */
export interface WorkPeriod {
  /** 'HH:mm', 00:00–23:59. */
  from: string
  /** 'HH:mm', after `from`; '24:00' is the end of the day. */
  to: string
}

/** A public holiday: no working time that day, whatever the weekday. */
export interface CalendarHoliday {
  /** 'YYYY-MM-DD' in the calendar's time zone. */
  date: string
  label?: Labels
}

/** An extra working day (China's adjusted weekends, 调休): worked with `hours`. */
export interface CalendarWorkday {
  date: string
  /** The day's working time; Monday's hours when left out. */
  hours?: WorkPeriod[]
  label?: Labels
}

/**
 * Business hours in one IANA time zone: working periods per weekday, holidays and extra working
 * days by date. Service levels count their targets in this time.
 * @example { id: 'china-office', label: { en: 'China office' }, timeZone: 'Asia/Shanghai',
 *   hours: { mon: [{ from: '09:00', to: '18:00' }], …, fri: [{ from: '09:00', to: '18:00' }] },
 *   holidays: [{ date: '2027-10-01' }] }
 */
export interface Calendar {
  $schema?: string
  id: string
  version?: number
  module?: string
  label: Labels
  description?: Labels
  /** An IANA time zone (Asia/Shanghai, Asia/Seoul). */
  timeZone: string
  /** Working periods per weekday; a weekday left out is not worked. */
  hours: Partial<Record<Weekday, WorkPeriod[]>>
  holidays?: CalendarHoliday[]
  workdays?: CalendarWorkday[]
}

/** 'HH:mm' from 00:00 to 24:00. */
export const TIME_OF_DAY = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'

/** 'YYYY-MM-DD'. */
export const LOCAL_DATE = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'

const periodSchema = schemaFor<WorkPeriod>()({
  type: 'object',
  description: 'Working time from `from` up to `to`, local time.',
  properties: {
    from: { type: 'string', pattern: TIME_OF_DAY, description: "'HH:mm'" },
    to: { type: 'string', pattern: TIME_OF_DAY, description: "'HH:mm'; '24:00' ends the day" },
  },
  required: ['from', 'to'],
  additionalProperties: false,
})

const periodsSchema = {
  type: 'array',
  description: 'Working periods of one day, in order, not overlapping.',
  items: periodSchema,
  maxItems: 10,
} as const

const dateSchema = { type: 'string', pattern: LOCAL_DATE, description: "'YYYY-MM-DD'" } as const

/** Schema of a `Calendar`. */
export const calendarSchema = schemaFor<Calendar>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: { ...definitionIdSchema, description: 'Stable id (camelCase or kebab-case).' },
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    timeZone: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone the hours and dates are read in.',
    },
    hours: {
      type: 'object',
      description: 'Working periods per weekday (mon … sun); a day left out is not worked.',
      properties: {
        mon: periodsSchema,
        tue: periodsSchema,
        wed: periodsSchema,
        thu: periodsSchema,
        fri: periodsSchema,
        sat: periodsSchema,
        sun: periodsSchema,
      },
      additionalProperties: false,
    },
    holidays: {
      type: 'array',
      description: 'Dates with no working time.',
      maxItems: 1000,
      items: {
        type: 'object',
        properties: { date: dateSchema, label: reservedProperties.label },
        required: ['date'],
        additionalProperties: false,
      },
    },
    workdays: {
      type: 'array',
      description: 'Extra working days (a weekend worked in exchange for a holiday).',
      maxItems: 1000,
      items: {
        type: 'object',
        properties: {
          date: dateSchema,
          hours: { ...periodsSchema, minItems: 1 },
          label: reservedProperties.label,
        },
        required: ['date'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'label', 'timeZone', 'hours'],
  additionalProperties: false,
})

/** Standalone schema document of `Calendar` (metadata/schemas/calendar.schema.json). */
export const calendarJsonSchema = toSchemaDocument(
  'calendar',
  'Trellis business calendar',
  calendarSchema,
)

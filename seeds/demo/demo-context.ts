import type { DemoLocale } from './names'
import { DemoRandom } from './random'

/** A demo record: field values by field name, plus the client-side `id`. */
export type DemoRecord = Record<string, unknown> & { id: string }

/** A money value as the API carries it. */
export interface Money {
  amount: number
  currency: string
}

const DAY_MS = 86_400_000

/**
 * A step of a record's life after its creation, which the loader replays at its time: a flow
 * transition fired by the record's owner, or values written as the system (a move the demo
 * makes without its flow's side records, such as closing a ticket whose return visit it makes).
 */
export type DemoStep = { at: string } & (
  { transition: string } | { values: Record<string, unknown> }
)

/** When a record was created and what happened to it afterwards, oldest first. */
export interface DemoLife {
  createdAt: string
  steps: DemoStep[]
}

/** State shared by the per-module generators: the random source, the clock anchor and the output. */
export class DemoContext {
  readonly rng: DemoRandom
  readonly out = new Map<string, DemoRecord[]>()
  /** Which population a customer or employee belongs to, so its children speak the same language. */
  readonly localeOf = new Map<string, DemoLocale>()
  /** The lives of records that did not start in the state they are in, by record id. */
  readonly lives = new Map<string, DemoLife>()
  private readonly anchor: number

  constructor(
    readonly scale: number,
    seed: number,
    today: string,
  ) {
    this.rng = new DemoRandom(seed)
    this.anchor = Date.parse(`${today}T00:00:00.000Z`)
  }

  /** How many records of a kind to make: `base` at scale 1, never fewer than one. */
  count(base: number): number {
    return Math.max(1, Math.round(base * this.scale))
  }

  /** Stores a record under its entity, giving it an id, and returns it. */
  add(entityId: string, values: Record<string, unknown>): DemoRecord {
    const record: DemoRecord = { id: this.rng.uuid(), ...values }
    if (!this.out.has(entityId)) this.out.set(entityId, [])
    this.out.get(entityId)!.push(record)
    return record
  }

  /** The records made so far for an entity. */
  list(entityId: string): DemoRecord[] {
    return this.out.get(entityId) ?? []
  }

  /** A date `days` from the anchor day, as 'YYYY-MM-DD'. */
  day(days: number): string {
    return new Date(this.anchor + days * DAY_MS).toISOString().slice(0, 10)
  }

  /** A UTC timestamp `days` from the anchor at a time of day, as an ISO string. */
  at(days: number, hour: number, minute = 0): string {
    return new Date(this.anchor + days * DAY_MS + (hour * 60 + minute) * 60_000).toISOString()
  }

  /** Adds hours to an ISO timestamp. */
  addHours(iso: string, hours: number): string {
    return new Date(Date.parse(iso) + hours * 3_600_000).toISOString()
  }

  /** Days from the anchor to a 'YYYY-MM-DD' date or ISO timestamp (negative in the past). */
  daysFromAnchor(value: string): number {
    return Math.floor(
      (Date.parse(value.length === 10 ? `${value}T00:00:00.000Z` : value) - this.anchor) / DAY_MS,
    )
  }

  /** A money value rounded to cents. */
  money(amount: number, currency = 'CNY'): Money {
    return { amount: Math.round(amount * 100) / 100, currency }
  }
}

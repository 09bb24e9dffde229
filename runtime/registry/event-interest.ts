import { sql, type SQL } from 'drizzle-orm'
import type { MetadataSet } from './metadata-set'

/** Whether one automation handler wants a record's outbox event, judged on a metadata set. */
export type EventInterest = (meta: MetadataSet, entity: string, event: string) => boolean

/**
 * What each event handler every Trellis process registers wants, by the handler's name: the
 * one place a feature that listens to record events says which ones. The relay turns no other
 * event into a job, and a record write marks no other event delivered as it writes it.
 */
export const EVENT_INTERESTS: Readonly<Record<string, EventInterest>> = {
  // A deleted record's timers go with it.
  'record-timers': (_meta, _entity, event) => event === 'deleted',
  alerts: (meta, entity) =>
    (meta.bundle.alerts ?? []).some((a) => a.entity === entity && a.enabled !== false),
  sla: (meta, entity) => (meta.bundle.slas ?? []).some((s) => s.entity === entity),
  // Activity on a follow-up or a deal resets its customer's reclaim clock.
  pools: (meta, entity) =>
    (meta.bundle.pools ?? []).some(
      (p) =>
        p.type === 'pool' &&
        (p.reclaim?.followUp?.entity === entity || p.reclaim?.deal?.entity === entity),
    ),
  assignment: (meta, entity) =>
    (meta.bundle.pools ?? []).some((p) => p.type === 'assignment' && p.entity === entity),
}

/**
 * The outbox event a flow writes when it moves a record (payload `{ flow, from, to, action,
 * transition }`); when the move also updates the record, the update's `updated` event carries
 * it in its payload instead of a row of its own.
 */
export const TRANSITION_OUTBOX_EVENT = 'transition'

/** Whether any handler wants `event` of `entity` under `meta`. */
export function isEventWanted(meta: MetadataSet, entity: string, event: string): boolean {
  return Object.values(EVENT_INTERESTS).some((wants) => wants(meta, entity, event))
}

/** The version of the newest apply, read in the statement that names it. */
const PUBLISHED_VERSION = sql`(select metadata_version from schema_migrations order by id desc limit 1)`

/**
 * `delivered_at` for an outbox row, as the statement writing it computes it: `now()` when
 * `version` (a parameter: the metadata version the writer judged the event on, or null for an
 * event some handler wants) is still the newest apply's, else null (the relay reads the row).
 * An event no handler wants is born delivered: no relay reads it back, marks it and writes its
 * row a second time. A writer whose metadata is older than the newest apply leaves its events to
 * the relay, which judges them on the newest.
 * @example sql`insert into outbox (…, delivered_at) values (…, ${deliveredUnlessWanted(sql`${v}::int`)})`
 */
export function deliveredUnlessWanted(version: SQL): SQL {
  return sql`(case when ${PUBLISHED_VERSION} = ${version} then now() end)`
}

/**
 * The metadata version to judge an event delivered on (see deliveredUnlessWanted): `meta`'s
 * when no handler wants the event, else null.
 */
export function quietVersion(meta: MetadataSet, entity: string, event: string): number | null {
  return isEventWanted(meta, entity, event) ? null : meta.version
}

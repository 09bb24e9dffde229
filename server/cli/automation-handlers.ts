import { openAlertDeps, registerAlertHandlers } from '../../runtime/alerts'
import { registerAssignmentHandlers } from '../../runtime/assignment'
import { registerFlowHandlers } from '../../runtime/flows'
import type { Logger } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { registerBuiltInHandlers } from '../../runtime/jobs/built-in-handlers'
import {
  createHandlerRegistry,
  type HandlerRegistry,
  type OutboxEvent,
} from '../../runtime/jobs/event-handlers'
import { registerPoolHandlers } from '../../runtime/pools'
import {
  createHandlerMetadata,
  EVENT_INTERESTS,
  type EventInterest,
  type MetadataSet,
} from '../../runtime/registry'
import { registerSlaHandlers } from '../../runtime/sla'
import type { Config } from '../config'

/** How often a process looks for a newer published metadata version for its handlers. */
const REFRESH_MS = 2_000

/**
 * Which events each feature's handler wants (EVENT_INTERESTS), from the newest metadata this
 * process has seen: a record write that no alert, SLA, pool or assignment rule concerns becomes
 * no job at all. Before the first read, and for an event newer than the last read, every event
 * is wanted (the handler then reads the metadata in its own transaction). The drain reads the
 * metadata again after reading each batch (`beforeRound` as its `refresh`), so under a steady
 * stream of writes no event of the batch is newer than the read.
 */
function interest(
  meta: ReturnType<typeof createHandlerMetadata>,
): Record<string, (e: OutboxEvent) => boolean> {
  const judged = (wants: EventInterest) => (e: OutboxEvent) => {
    const latest = meta.latest()
    // Written after the read began: a publish just before it may not be in that read.
    if (!latest || Date.parse(e.createdAt) >= meta.readAt()) return true
    return wants(latest, e.entity, e.event)
  }
  return Object.fromEntries(
    Object.entries(EVENT_INTERESTS).map(([name, wants]) => [name, judged(wants)]),
  )
}

/**
 * The registry with each event handler also filtered by `wants[name]`. A handler with no entry
 * there is refused: record writes mark the events no entry wants delivered as they write them,
 * so a handler EVENT_INTERESTS does not know would never see them.
 */
export function filtered(
  handlers: HandlerRegistry,
  wants: Record<string, (e: OutboxEvent) => boolean>,
): HandlerRegistry {
  return {
    ...handlers,
    onEvent(name, handler, accepts) {
      const wanted = wants[name]
      if (!wanted) throw new Error(`event handler '${name}' has no entry in EVENT_INTERESTS`)
      handlers.onEvent(name, handler, (e) => (accepts?.(e) ?? true) && wanted(e))
    },
  }
}

/**
 * The event, timer and job handlers every Trellis process runs (server, worker, `jobs run`):
 * the one place features register theirs — the engine's own, alerts, SLA, pools, assignment and
 * approval timeouts.
 * They read the published metadata through their own transaction; the "does this event concern
 * anyone" filter uses what this process read last (before each automation round, and every 2 s)
 * and lets through any event written after that read.
 * @example const { handlers, stop } = await automationHandlers(db, readConfig(), log)
 */
export async function automationHandlers(
  db: Db,
  config: Config,
  log: Logger,
  known?: MetadataSet,
): Promise<{ handlers: HandlerRegistry; beforeRound(): Promise<void>; stop(): void }> {
  const meta = createHandlerMetadata(known)
  await meta.read(db)
  const refresh = setInterval(
    () => void meta.read(db).catch((err) => log.debug({ err }, 'metadata refresh failed')),
    REFRESH_MS,
  )
  refresh.unref()
  const handlers = registerBuiltInHandlers(createHandlerRegistry())
  const features = filtered(handlers, interest(meta))
  registerAlertHandlers(features, openAlertDeps(config, meta.read, log))
  registerSlaHandlers(features, { meta: meta.read })
  registerPoolHandlers(features, meta.read, { timeZone: config.timeZone })
  registerAssignmentHandlers(features, meta.read, { timeZone: config.timeZone })
  registerFlowHandlers(features, meta.read)
  // Each automation round reads the version first, so its batch is judged on current metadata.
  const beforeRound = () => meta.read(db).then(() => undefined)
  return { handlers, beforeRound, stop: () => clearInterval(refresh) }
}

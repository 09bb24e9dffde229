import type { Alert } from '../../metadata/alert'
import type { Pool } from '../../metadata/pool'
import { ALERT_EVENT_HANDLER, openAlertDeps, registerAlertHandlers } from '../../runtime/alerts'
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
import { createHandlerMetadata, type MetadataSet } from '../../runtime/registry'
import { registerSlaHandlers, slaDefinitionsOf } from '../../runtime/sla'
import type { Config } from '../config'

/** How often a process looks for a newer published metadata version for its handlers. */
const REFRESH_MS = 2_000

/**
 * Which events each feature's handler wants, from the newest metadata this process has seen:
 * a record write that no alert, SLA, pool or assignment rule concerns becomes no job at all.
 * Before the first read, and for an event newer than the last read, every event is wanted (the
 * handler then reads the metadata in its own transaction). The drain reads the metadata again
 * after reading each batch (`beforeRound` as its `refresh`), so under a steady stream of writes
 * no event of the batch is newer than the read.
 */
function interest(
  meta: ReturnType<typeof createHandlerMetadata>,
): Record<string, (e: OutboxEvent) => boolean> {
  const with_ = <T>(pick: (m: MetadataSet) => T[], test: (d: T, e: OutboxEvent) => boolean) => {
    return (e: OutboxEvent) => {
      const latest = meta.latest()
      // Written after the read began: a publish just before it may not be in that read.
      if (!latest || Date.parse(e.createdAt) >= meta.readAt()) return true
      return pick(latest).some((d) => test(d, e))
    }
  }
  const pools = (m: MetadataSet) => (m.bundle.pools ?? []) as Pool[]
  return {
    [ALERT_EVENT_HANDLER]: with_(
      (m) => (m.bundle.alerts ?? []) as Alert[],
      (a, e) => a.entity === e.entity && a.enabled !== false,
    ),
    sla: with_(
      (m) => slaDefinitionsOf(m).slas,
      (s, e) => s.entity === e.entity,
    ),
    pools: with_(pools, (p, e) =>
      p.type === 'pool'
        ? p.reclaim?.followUp?.entity === e.entity || p.reclaim?.deal?.entity === e.entity
        : false,
    ),
    assignment: with_(pools, (p, e) => p.type === 'assignment' && p.entity === e.entity),
  }
}

/** The registry with each event handler also filtered by `wants[name]`. */
function filtered(
  handlers: HandlerRegistry,
  wants: Record<string, (e: OutboxEvent) => boolean>,
): HandlerRegistry {
  return {
    ...handlers,
    onEvent(name, handler, accepts) {
      const wanted = wants[name]
      handlers.onEvent(
        name,
        handler,
        wanted || accepts ? (e) => (accepts?.(e) ?? true) && (wanted?.(e) ?? true) : undefined,
      )
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

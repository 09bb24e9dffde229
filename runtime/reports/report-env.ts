import type { Entity } from '../../metadata/entity'
import type { Flow } from '../../metadata/flow'
import type { Locale } from '../../metadata/labels'
import { LOCALES } from '../../metadata/labels'
import type { Ctx, CurrentUser } from '../context'
import { ForbiddenError } from '../errors'
import { hiddenFields, scopePredicate } from '../permissions'
import type { ScopeOf } from './report-source'

/**
 * What compiling a report needs from the request, without I/O: the entities, the caller, the
 * instant, their read scopes and hidden fields. `reportEnv(ctx)` builds it from a context; tests
 * may build one by hand.
 */
export interface ReportEnv {
  entities: ReadonlyMap<string, Entity>
  flows: Iterable<Flow>
  user: CurrentUser
  locale: Locale
  now: Date
  /** The caller's read scope of an entity under an alias; null when unlimited. */
  scopeOf: ScopeOf
  /** Fields of an entity the caller may not read; null when none. */
  hiddenOf: (entityId: string) => ReadonlySet<string> | null
}

/** The caller's language, English when it is not one Trellis speaks. */
export function toLocale(locale: string | undefined): Locale {
  return (LOCALES as readonly string[]).includes(locale ?? '') ? (locale as Locale) : 'en'
}

/** The report environment of a request context (the caller must be signed in). */
export function reportEnv(ctx: Ctx): ReportEnv {
  if (!ctx.user) throw new ForbiddenError('Reports need a signed-in user')
  return {
    entities: ctx.meta.entities,
    flows: ctx.meta.flows.values(),
    user: ctx.user,
    locale: toLocale(ctx.user.locale),
    now: ctx.clock.now(),
    scopeOf: (entityId, alias) => scopePredicate(ctx, entityId, 'read', { alias }),
    hiddenOf: (entityId) => hiddenFields(ctx, entityId),
  }
}

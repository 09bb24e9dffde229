import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../context'
import { BadRequestError, NotFoundError } from '../errors'
import { canAttempt } from '../permissions'
import { lacksRight } from '../records'
import { searchWords, type SearchWords } from './search-refusal-texts'

export interface SearchInput {
  /** The text to find (trimmed; 1 to 200 characters). */
  q: string
  /** Entity ids to search, in the order hits are grouped; default every readable entity. */
  entities?: string[]
  /** Hits per entity (default 5, at most 50). */
  limit?: number
}

/** A search the input checks accepted: the trimmed text and the entities to search. */
export interface CheckedSearch {
  q: string
  entities: Entity[]
  limit: number
}

export const DEFAULT_LIMIT = 5
export const MAX_LIMIT = 50
export const MAX_QUERY_LENGTH = 200

/**
 * The input as a search can run it; 400 naming `q` or `limit`, 404 naming `entities` for an
 * unknown one, 403 naming `entities` for one the caller may not list (as a list would answer).
 */
export function checkSearchInput(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  input: SearchInput,
): CheckedSearch {
  const q = typeof input.q === 'string' ? input.q.trim() : ''
  const w = searchWords(ctx.user?.locale)
  // Characters, not UTF-16 units: 200 Chinese or Korean characters are 200.
  const length = [...q].length
  if (length < 1 || length > MAX_QUERY_LENGTH) {
    throw new BadRequestError(w.text('invalidText'), [
      { path: 'q', message: w.text('textLength', { max: String(MAX_QUERY_LENGTH) }) },
    ])
  }
  // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
  if (q.includes('\u0000')) {
    throw new BadRequestError(w.text('invalidText'), [{ path: 'q', message: w.text('textNul') }])
  }
  const limit = input.limit ?? DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new BadRequestError(w.text('invalidLimit'), [
      { path: 'limit', message: w.text('limitRange', { max: String(MAX_LIMIT) }) },
    ])
  }
  return { q, limit, entities: input.entities ? named(ctx, w, input.entities) : readable(ctx) }
}

/** Every top-level entity the caller may list; child rows are found through their parent. */
function readable(ctx: Pick<Ctx, 'user' | 'meta'>): Entity[] {
  return [...ctx.meta.entities.values()].filter((e) => !e.childOf && canAttempt(ctx, e.id, 'read'))
}

function named(ctx: Pick<Ctx, 'user' | 'meta'>, w: SearchWords, ids: string[]): Entity[] {
  const refuse = (key: 'nameOne' | 'entityList') =>
    new BadRequestError(w.text('invalidEntities'), [{ path: 'entities', message: w.text(key) }])
  if (!ids.length) throw refuse('nameOne')
  if (ids.some((id) => !id)) throw refuse('entityList')
  const out: Entity[] = []
  for (const id of new Set(ids)) {
    const entity = ctx.meta.entities.get(id)
    if (!entity) {
      throw new NotFoundError(w.text('noEntity', { id }), [
        { path: 'entities', message: w.text('noEntityField', { id }) },
      ])
    }
    if (entity.childOf) {
      const parent = w.entity(ctx.meta.entities.get(entity.childOf), entity.childOf)
      const child = { entity: w.entity(entity, id), parent }
      throw new BadRequestError(w.text('childEntity', child), [
        { path: 'entities', message: w.text('childEntityField', child) },
      ])
    }
    if (!canAttempt(ctx, id, 'read')) throw lacksRight(ctx, id, 'read', 'entities')
    out.push(entity)
  }
  return out
}

import type { Labels } from '../../metadata/labels'
import type { Ctx } from '../context'
import { checkSearchInput, type SearchInput } from './search-input'
import { buildSearchSql, type SearchRow } from './search-sql'
import { searchTargets } from './search-targets'

/** One record found: its entity, id, title (null when the caller may not read it) and matched fields. */
export interface SearchHit {
  entity: string
  id: string
  title: string | null
  /** When the title is a select field: the chosen option's label, to show instead of its code. */
  titleLabel?: Labels
  /** The readable fields that contain the text, in the entity's search order. */
  matched: string[]
  /**
   * When the entity names `subtitleFields`: their readable values as text (a select's code), to
   * show on a second line (product: code · spec).
   */
  subtitle?: Record<string, string | null>
}

export interface SearchResult {
  /** Hits grouped by entity (in the order searched), each group best first. */
  data: SearchHit[]
  /** Entities with more hits than shown: open their list to see the rest. */
  more: string[]
}

/** No answer carries more hits than this, whatever the per-entity limit. */
export const MAX_HITS = 200

/**
 * Free-text search over every entity the caller may read (or those named): a case-insensitive
 * substring match on the readable search and title fields, in the read scope. One statement.
 * @example await searchRecords(ctx, { q: 'acme', entities: ['customer'], limit: 10 })
 */
export async function searchRecords(ctx: Ctx, input: SearchInput): Promise<SearchResult> {
  const { q, entities, limit } = checkSearchInput(ctx, input)
  const targets = searchTargets(ctx, entities)
  if (!targets.length) return { data: [], more: [] }
  // One row beyond the limit per entity says there is more. Planned for this text every time: a
  // rare word reads the trigram index, a common or short one (no trigrams) scans instead.
  const rows = await ctx.db.query<SearchRow>(buildSearchSql(targets, q, limit + 1), {
    prepare: false,
  })
  const data: SearchHit[] = []
  const more = new Set<string>()
  const taken = new Map<number, number>()
  for (const row of rows) {
    const g = Number(row.g)
    const entity = targets[g].entity.id
    const n = taken.get(g) ?? 0
    if (n >= limit || data.length >= MAX_HITS) {
      more.add(entity)
      continue
    }
    taken.set(g, n + 1)
    const hit: SearchHit = {
      entity,
      id: String(row.id),
      title: row.title ?? null,
      matched: row.matched,
    }
    const option = targets[g].title?.options?.find((o) => o.value === row.title)
    if (option) hit.titleLabel = option.label
    if (row.subtitle) hit.subtitle = row.subtitle
    data.push(hit)
  }
  return { data, more: [...more] }
}

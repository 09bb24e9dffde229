import type { Labels } from '$metadata/labels'
/** One record GET /api/search found (title null when the caller may not read it). */
export interface SearchHit {
  entity: string
  id: string
  title: string | null
  /** A select title's option label, shown instead of its code. */
  titleLabel?: Labels
  matched: string[]
}

/** What GET /api/search answers. */
export interface SearchAnswer {
  data: SearchHit[]
  more: string[]
}

/** Hits of one entity, in the order the server ranked them. */
export interface HitGroup {
  entity: string
  hits: SearchHit[]
  more: boolean
}

/**
 * Hits grouped by entity, groups in the order their first hit came (the server sends them
 * grouped already; this keeps a stray order from splitting a group).
 */
export function groupHits(answer: SearchAnswer): HitGroup[] {
  const groups = new Map<string, HitGroup>()
  for (const hit of answer.data) {
    let group = groups.get(hit.entity)
    if (!group) {
      group = { entity: hit.entity, hits: [], more: answer.more.includes(hit.entity) }
      groups.set(hit.entity, group)
    }
    group.hits.push(hit)
  }
  return [...groups.values()]
}

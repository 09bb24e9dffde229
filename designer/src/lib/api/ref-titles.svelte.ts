import { SvelteMap } from 'svelte/reactivity'
import { loadEntity } from './meta'
import { listRecords } from './data'
import { ApiError } from './client'

// entity → id → title, or null for a record the reader may not see (or that is gone); reactive
// so every title on screen updates when a batch arrives.
const titles = new SvelteMap<string, string | null>()
const pending = new Set<string>()

const key = (entity: string, id: string) => `${entity}:${id}`

/**
 * The display title of a referenced record: undefined until fetched, null when the reader may not
 * read it. Titles come from the list API, which answers only records in the reader's read scope.
 */
export function refTitle(entity: string, id: string): string | null | undefined {
  return titles.get(key(entity, id))
}

/** Remembers a title already known (e.g. picked in a reference picker). */
export function rememberTitle(entity: string, id: string, title: string): void {
  titles.set(key(entity, id), title)
}

// Ids asked for in the same tick, per entity, so a page of rows costs one request per entity.
const queued = new Map<string, Set<string>>()
const BATCH = 100

/** Asks for the titles of ids not known yet; calls in the same tick share one request. */
export function fetchTitles(entity: string, ids: string[]): Promise<void> {
  const known = queued.get(entity)
  const batch = known ?? new Set<string>()
  ids.forEach((id) => batch.add(id))
  if (!known) {
    queued.set(entity, batch)
    return new Promise((resolve) =>
      queueMicrotask(() => {
        queued.delete(entity)
        const all = [...batch]
        const parts: Promise<void>[] = []
        for (let i = 0; i < all.length; i += BATCH)
          parts.push(fetchBatch(entity, all.slice(i, i + BATCH)))
        void Promise.all(parts).then(() => resolve())
      }),
    )
  }
  return Promise.resolve()
}

async function fetchBatch(entity: string, ids: string[]): Promise<void> {
  const missing = [...new Set(ids)].filter(
    (id) => id && !titles.has(key(entity, id)) && !pending.has(key(entity, id)),
  )
  if (missing.length === 0) return
  missing.forEach((id) => pending.add(key(entity, id)))
  // Only an answer settles the titles: a lost connection leaves them unknown, asked for again later.
  let answered = true
  try {
    const titleField = (await loadEntity(entity)).titleField ?? 'name'
    const page = await listRecords(entity, {
      filter: { in: [{ var: 'id' }, missing] },
      limit: missing.length,
    })
    for (const r of page.data) {
      // A title field hidden from the reader shows as hidden, never as the raw id.
      const title = r[titleField]
      titles.set(key(entity, String(r.id)), title == null || title === '' ? null : String(title))
    }
  } catch (err) {
    // No read right on the entity (403) or no such entity: nothing of it may be shown.
    answered = err instanceof ApiError && err.status < 500
  } finally {
    for (const id of missing) {
      pending.delete(key(entity, id))
      if (answered && !titles.has(key(entity, id))) titles.set(key(entity, id), null)
    }
  }
}

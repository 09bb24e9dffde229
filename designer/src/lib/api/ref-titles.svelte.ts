import { SvelteMap } from 'svelte/reactivity'
import { loadEntity } from './meta'
import { getRecord, listRecords } from './data'

// entity → id → title; reactive so every <RefTitle> updates when a batch arrives.
const titles = new SvelteMap<string, string>()
const pending = new Set<string>()

const key = (entity: string, id: string) => `${entity}:${id}`

/** The display title of a referenced record, or undefined until it has been fetched. */
export function refTitle(entity: string, id: string): string | undefined {
  return titles.get(key(entity, id))
}

/** Remembers a title already known (e.g. picked in a reference picker). */
export function rememberTitle(entity: string, id: string, title: string): void {
  titles.set(key(entity, id), title)
}

/** Fetches the titles of the given ids that are not known yet, in one list request. */
export async function fetchTitles(entity: string, ids: string[]): Promise<void> {
  const missing = [...new Set(ids)].filter(
    (id) => id && !titles.has(key(entity, id)) && !pending.has(key(entity, id)),
  )
  if (missing.length === 0) return
  missing.forEach((id) => pending.add(key(entity, id)))
  try {
    const titleField = (await loadEntity(entity)).titleField ?? 'name'
    try {
      const page = await listRecords(entity, {
        filter: { in: [{ var: 'id' }, missing] },
        limit: missing.length,
      })
      for (const r of page.data)
        titles.set(key(entity, String(r.id)), String(r[titleField] ?? r.id))
    } catch {
      // The server may not filter by id membership: fall back to one request per record.
      await Promise.all(
        missing.map(async (id) => {
          const { record } = await getRecord(entity, id)
          titles.set(key(entity, id), String(record[titleField] ?? id))
        }),
      )
    }
  } catch {
    missing.forEach((id) => titles.set(key(entity, id), id.slice(0, 8)))
  } finally {
    missing.forEach((id) => pending.delete(key(entity, id)))
  }
}

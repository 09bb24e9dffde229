import type { KanbanView, View } from '$metadata/view'
import { api, unwrap } from '$lib/api/client'

const boards = new Map<string, Promise<KanbanView | undefined>>()

/** The entity's first kanban view (its full definition), or undefined; cached per page load. */
export function loadKanbanView(entity: string): Promise<KanbanView | undefined> {
  let found = boards.get(entity)
  if (!found) {
    found = api<unknown>('/api/meta/views', { query: { entity } }).then(async (body) => {
      const list = unwrap<View[]>(body)
      const summary = Array.isArray(list)
        ? list.find((v) => v.type === 'kanban' && v.entity === entity)
        : undefined
      return summary
        ? await api<KanbanView>(`/api/meta/views/${encodeURIComponent(summary.id)}`)
        : undefined
    })
    found.catch(() => boards.delete(entity))
    boards.set(entity, found)
  }
  return found
}

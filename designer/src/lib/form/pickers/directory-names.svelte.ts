import { SvelteMap } from 'svelte/reactivity'
import {
  directoryDepartments,
  directoryUsersByIds,
  type DirectoryDepartment,
  type DirectoryUser,
} from '$lib/api/directory'
import { departmentPath } from '$lib/admin/org-tree'

// What the directory told us, shared by every picker and name on screen. A user id maps to null
// once the directory answered without it (deleted, or not an id), so it is not asked again.
const users = new SvelteMap<string, DirectoryUser | null>()
const queued = new Set<string>()
const asking = new Set<string>()
let flushing = false
const departments = $state<{ list: DirectoryDepartment[]; loaded: boolean }>({
  list: [],
  loaded: false,
})
let departmentsLoading: Promise<void> | undefined

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BATCH = 200

/** A user the directory knows: undefined while unknown, null when it has no such user. */
export function directoryUser(id: string): DirectoryUser | null | undefined {
  return users.get(id)
}

/** Remembers users already fetched (e.g. search results), so their names need no request. */
export function rememberUsers(found: DirectoryUser[]): void {
  for (const user of found) users.set(user.id, user)
}

/** Asks for the names of users not known yet; calls in the same tick share one request. */
export function requestUsers(ids: Iterable<string>): void {
  for (const id of ids) {
    if (!id || users.has(id) || asking.has(id)) continue
    if (UUID.test(id)) queued.add(id)
    else users.set(id, null)
  }
  if (queued.size && !flushing) {
    flushing = true
    queueMicrotask(() => void flush())
  }
}

async function flush(): Promise<void> {
  while (queued.size) {
    const ids = [...queued].slice(0, BATCH)
    ids.forEach((id) => (queued.delete(id), asking.add(id)))
    const found = await directoryUsersByIds(ids).catch(() => [] as DirectoryUser[])
    rememberUsers(found)
    for (const id of ids) {
      asking.delete(id)
      if (!users.has(id)) users.set(id, null)
    }
  }
  flushing = false
}

/** Every department (loaded once; `refresh` reads them again, e.g. when a picker opens). */
export function loadDepartments(refresh = false): Promise<void> {
  if (departmentsLoading && !refresh) return departmentsLoading
  departmentsLoading = directoryDepartments()
    .then((list) => {
      departments.list = list
      departments.loaded = true
    })
    .catch(() => {
      departments.loaded = true
    })
  return departmentsLoading
}

/** The departments known so far (reactive). */
export function knownDepartments(): DirectoryDepartment[] {
  return departments.list
}

/** A department's path ("Acme / Sales"): undefined until loaded, null when there is none. */
export function departmentLabel(id: string): string | null | undefined {
  if (!departments.loaded) return undefined
  return departments.list.some((d) => d.id === id) ? departmentPath(departments.list, id) : null
}

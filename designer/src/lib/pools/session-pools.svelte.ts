import { loadPools, type PoolOverview } from '$lib/api/pools'
import { session } from '$lib/api/session.svelte'

/**
 * The caller's pools with their counts (GET /api/pools), shared by the sidebar, the pools page
 * and record pages: loaded once per signed-in user, refreshed after a claim or a release.
 * `list` is null until the first answer.
 */
export const sessionPools = $state<{ list: PoolOverview[] | null }>({ list: null })

let loaded: { user: string | null; answer: Promise<PoolOverview[]> } | null = null

const userId = () => session.user?.id ?? null

function start(): Promise<PoolOverview[]> {
  const entry = { user: userId(), answer: loadPools() }
  // Another user's pools are not this one's, even for the moment before the answer.
  if (loaded && loaded.user !== entry.user) sessionPools.list = null
  loaded = entry
  entry.answer.then(
    (list) => {
      if (loaded === entry) sessionPools.list = list
    },
    () => {
      if (loaded === entry) loaded = null
    },
  )
  return entry.answer
}

/**
 * The caller's pools, from the one load of this user's session when there is one.
 * @example (await loadSessionPools()).map((p) => p.id) // ['east']
 */
export function loadSessionPools(): Promise<PoolOverview[]> {
  return loaded && loaded.user === userId() ? loaded.answer : start()
}

/**
 * Loads the caller's pools again: after a claim, and when the pools page opens (a release leads
 * there, and other reps' claims moved the counts meanwhile).
 * @example await refreshSessionPools()
 */
export function refreshSessionPools(): Promise<PoolOverview[]> {
  return start()
}

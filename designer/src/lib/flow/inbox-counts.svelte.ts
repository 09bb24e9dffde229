import { loadInboxCounts, type InboxCounts } from '$lib/api/inbox'

/** My inbox counts for the sidebar badge; null until asked, or when the API has no inbox. */
export const inboxCounts = $state<{ value: InboxCounts | null }>({ value: null })

let asking: Promise<void> | null = null

/** Asks the server for my inbox counts again (calls while one is asked share it). */
export function refreshInboxCounts(): Promise<void> {
  asking ??= loadInboxCounts()
    .then((counts) => {
      inboxCounts.value = counts
    })
    .catch(() => undefined)
    .finally(() => (asking = null))
  return asking
}

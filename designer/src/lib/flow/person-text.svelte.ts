import type { ApiPerson } from '$lib/api/flows'
import { directoryUser, requestUsers } from '$lib/form/pickers/directory-names.svelte'
import { t } from '$lib/i18n/locale.svelte'
import { toPerson } from './flow-view'

/**
 * A person the approval API named, as text: their name, else the directory's name for their id
 * ('…' while it is asked, reactive); nobody is the engine ("System").
 */
export function personText(person: ApiPerson | undefined): string {
  const p = toPerson(person)
  if (!p) return t('approval.system')
  if (p.name) return p.name
  if (!p.id) return '…'
  const known = directoryUser(p.id)
  if (known === undefined) requestUsers([p.id])
  return known === undefined
    ? '…'
    : (known?.displayName ?? t('picker.unknown', { id: p.id.slice(0, 8) }))
}

import type { FormState } from '$runtime/forms'

/** Context key: a getter of the field paths the caller may not write (`lines.unitPrice`). */
export const READ_ONLY_FIELDS = Symbol('read-only-fields')

/**
 * The form's state narrowed by the caller's rights: every field read-only when they may not
 * save, and each field the server says they may only read. Rules can only narrow it further.
 * @example withRights(state, true, new Set(['managerComment'])).managerComment.readOnly // true
 */
export function withRights(
  state: FormState,
  canSave: boolean,
  readOnly: ReadonlySet<string>,
): FormState {
  if (canSave && readOnly.size === 0) return state
  const out: FormState = {}
  for (const [name, s] of Object.entries(state))
    out[name] = !canSave || readOnly.has(name) ? { ...s, readOnly: true } : s
  return out
}

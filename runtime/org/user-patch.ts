import { LOCALES } from '../../metadata/labels'
import type { MetadataSet } from '../registry'
import type { Issue } from '../errors'
import { checkKnownKeys, checkName, checkOptionalId } from './input-checks'

/** What an administrator may change on a user; a key left out is left alone. */
export interface UserPatch {
  displayName?: string
  email?: string | null
  locale?: string
  departmentId?: string | null
  managerId?: string | null
  positionId?: string | null
  roles?: string[]
  disabled?: boolean
  isAdmin?: boolean
  attributes?: Record<string, unknown>
}

export const USER_PATCH_KEYS = [
  'displayName',
  'email',
  'locale',
  'departmentId',
  'managerId',
  'positionId',
  'roles',
  'disabled',
  'isAdmin',
  'attributes',
] as const

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Checks the shape of a user patch (not whether referenced rows exist): typed patch and issues
 * naming each bad field. Role ids must be roles of the published metadata.
 */
export function parseUserPatch(
  input: unknown,
  meta: Pick<MetadataSet, 'roles'>,
  extraKeys: readonly string[] = [],
): { patch: UserPatch; issues: Issue[] } {
  const value = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>
  const issues: Issue[] = []
  const patch: UserPatch = {}
  checkKnownKeys(value, [...USER_PATCH_KEYS, ...extraKeys], issues)
  if ('displayName' in value)
    patch.displayName = checkName(value.displayName, 'displayName', issues)
  if ('email' in value) {
    if (value.email === null || value.email === '') patch.email = null
    else if (
      typeof value.email === 'string' &&
      EMAIL.test(value.email) &&
      value.email.length <= 320
    ) {
      patch.email = value.email
    } else issues.push({ path: 'email', message: 'not an email address' })
  }
  if ('locale' in value) {
    if ((LOCALES as readonly unknown[]).includes(value.locale))
      patch.locale = value.locale as string
    else issues.push({ path: 'locale', message: `one of ${LOCALES.join(', ')}` })
  }
  for (const key of ['departmentId', 'managerId', 'positionId'] as const) {
    if (key in value) patch[key] = checkOptionalId(value[key], key, issues)
  }
  if ('roles' in value) patch.roles = checkRoles(value.roles, meta, issues)
  for (const key of ['disabled', 'isAdmin'] as const) {
    if (!(key in value)) continue
    if (typeof value[key] === 'boolean') patch[key] = value[key] as boolean
    else issues.push({ path: key, message: 'must be true or false' })
  }
  if ('attributes' in value) {
    const attrs = value.attributes
    if (attrs && typeof attrs === 'object' && !Array.isArray(attrs)) {
      patch.attributes = attrs as Record<string, unknown>
      if (JSON.stringify(attrs).length > 10_000) {
        issues.push({ path: 'attributes', message: 'at most 10,000 characters as JSON' })
      }
    } else issues.push({ path: 'attributes', message: 'must be an object' })
  }
  return { patch, issues }
}

function checkRoles(value: unknown, meta: Pick<MetadataSet, 'roles'>, issues: Issue[]): string[] {
  if (!Array.isArray(value) || !value.every((r) => typeof r === 'string')) {
    issues.push({ path: 'roles', message: 'must be an array of role ids' })
    return []
  }
  const unknown = value.filter((r) => !meta.roles.has(r))
  if (unknown.length)
    issues.push({ path: 'roles', message: `unknown role(s): ${unknown.join(', ')}` })
  return [...new Set(value as string[])].sort()
}

import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { ForbiddenError, type Issue } from '../errors'
import { fieldAccess, hiddenFields } from './field-access'
import { ruleFieldNames } from './rule-field-names'

export { ruleFieldNames } from './rule-field-names'

/** The field names a sort string orders by (`-createdAt,name` → createdAt, name). */
export function sortFieldNames(sort: string): string[] {
  return sort
    .split(',')
    .map((p) => p.trim().replace(/^[-+]/, ''))
    .filter(Boolean)
}

function refuse(path: 'filter' | 'sort', names: string[]): never {
  const issues: Issue[] = names.map((name) => ({
    path,
    message: `field '${name}' is not readable for your roles`,
  }))
  throw new ForbiddenError(
    `You may not ${path === 'filter' ? 'filter' : 'sort'} on '${names[0]}'`,
    issues,
  )
}

/** Throws 403 naming the field when a filter reads a field the caller may not read. */
export function assertReadableFilter(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  rule: Rule,
): void {
  const hidden = hiddenFields(ctx, entityId)
  if (!hidden) return
  const names = [...ruleFieldNames(rule)].filter((n) => hidden.has(n))
  if (names.length) refuse('filter', names)
}

/** Throws 403 naming the field when a sort orders by a field the caller may not read. */
export function assertReadableSort(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  sort: string,
): void {
  const hidden = hiddenFields(ctx, entityId)
  if (!hidden) return
  const names = sortFieldNames(sort).filter((n) => hidden.has(n))
  if (names.length) refuse('sort', names)
}

/**
 * Throws 403 naming each field the input sets but the caller may not write. A value equal to the
 * stored one (`same(name, value)`) is a round-trip, not a write; on create only null is.
 */
export function assertWritableFields(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  input: Record<string, unknown>,
  same: (name: string, value: unknown) => boolean,
  prefix = '',
): void {
  const fields = fieldAccess(ctx, entityId)
  const issues: Issue[] = []
  for (const [name, value] of Object.entries(input)) {
    const access = fields.get(name)
    if (access === undefined || access === 'write' || value === undefined) continue
    if (same(name, value)) continue
    issues.push({ path: prefix + name, message: `field '${name}' is not writable for your roles` })
  }
  if (issues.length) throw new ForbiddenError(`You may not write '${issues[0].path}'`, issues)
}

/** Whether the input touches a field the caller may not write (callers then compare with the old record). */
export function touchesUnwritable(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  input: Record<string, unknown>,
): boolean {
  const fields = fieldAccess(ctx, entityId)
  for (const name of Object.keys(input)) {
    const access = fields.get(name)
    if (access !== undefined && access !== 'write') return true
  }
  return false
}

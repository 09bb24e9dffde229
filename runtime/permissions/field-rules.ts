import type { Rule } from '../../metadata/rule'
import type { Ctx } from '../context'
import { ForbiddenError, type Issue } from '../errors'
import { fieldAccess, hiddenFields } from './field-access'
import { fieldWords } from './field-refusal-texts'
import { ruleFieldNames } from './rule-field-names'

export { ruleFieldNames } from './rule-field-names'

/** The field names a sort string orders by (`-createdAt,name` → createdAt, name). */
export function sortFieldNames(sort: string): string[] {
  return sort
    .split(',')
    .map((p) => p.trim().replace(/^[-+]/, ''))
    .filter(Boolean)
}

type Caller = Pick<Ctx, 'user' | 'meta'>

function refuse(ctx: Caller, entityId: string, path: 'filter' | 'sort', names: string[]): never {
  const w = fieldWords(ctx.user?.locale, ctx.meta.entities)
  const issues: Issue[] = names.map((name) => ({
    path,
    message: w.text('notReadable', { field: w.field(entityId, name) }),
  }))
  const key = path === 'filter' ? 'mayNotFilter' : 'mayNotSort'
  throw new ForbiddenError(w.text(key, { field: w.field(entityId, names[0]) }), issues)
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
  if (names.length) refuse(ctx, entityId, 'filter', names)
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
  if (names.length) refuse(ctx, entityId, 'sort', names)
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
  const refused = Object.entries(input)
    .filter(([name, value]) => {
      const access = fields.get(name)
      return access !== undefined && access !== 'write' && value !== undefined && !same(name, value)
    })
    .map(([name]) => name)
  if (!refused.length) return
  const w = fieldWords(ctx.user?.locale, ctx.meta.entities)
  const issues: Issue[] = refused.map((name) => ({
    path: prefix + name,
    message: w.text('notWritable', { field: w.field(entityId, name) }),
  }))
  const first = w.field(entityId, refused[0], prefix + refused[0])
  throw new ForbiddenError(w.text('mayNotWrite', { field: first }), issues)
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

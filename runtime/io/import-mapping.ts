import type { Field } from '../../metadata/field'
import { LOCALES, toLabel } from '../../metadata/labels'
import type { Ctx } from '../context'
import { BadRequestError, ForbiddenError, type Issue } from '../errors'
import { fieldAccess, fieldWords } from '../permissions'
import type { EntityPlan } from '../records'
import { EXPORT_WORDS } from './export-columns'
import { importWords } from './import-refusal-texts'
import { isAutoNumberKey, targetsWithKey, type ImportTarget } from './import-targets'

/**
 * File header → target: a field name, `<money field>.currency`, a child table's field
 * (`lines.product`, `lines.unitPrice.currency`), or null (column ignored).
 */
export type ImportMapping = Record<string, string | null>

/** A header as it is compared: case, width of spaces, `*` and `:` marks ignored. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[*：:]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

/** Every name a column of `field` may carry: its name and its label in each language. */
function namesOf(field: Field, suffix: string): string[] {
  const names = [field.name + suffix]
  for (const locale of LOCALES) {
    const label = field.label[locale]
    if (label) names.push(label + suffix)
  }
  return names
}

/** The headers an export writes over a money field's currency (`Revenue (currency)`, `营收 (币种)`). */
function exportedCurrencyHeaders(field: Field): string[] {
  return LOCALES.map(
    (locale) => `${toLabel(field.label, locale)} (${toLabel(EXPORT_WORDS.currency, locale)})`,
  )
}

/** The names of a target's column without its child table: `Product`, `商品`, `unitPrice.currency`. */
function ownNames({ field, currency }: ImportTarget): string[] {
  return currency
    ? [...namesOf(field, '.currency'), ...exportedCurrencyHeaders(field)]
    : namesOf(field, '')
}

/** A child column's names with its table: `Lines / Product`, `明细/商品`, `lines.product`. */
function childNames(target: ImportTarget, own: string[]): string[] {
  const table = target.child!.field
  const names = own.map((n) => `${table.name}.${n}`)
  for (const locale of LOCALES) {
    const label = table.label[locale]
    if (label) for (const n of own) names.push(`${label} / ${n}`, `${label}/${n}`, `${label}.${n}`)
  }
  return names
}

/**
 * Header keys → target, for every importable field (money: amount and `.currency`) and every
 * field of an importable child table. A child field also answers to its bare label (`Product`,
 * `수량`) when no field of the record itself, and no other child table, claims that label.
 */
function targetsByKey(plan: EntityPlan, key?: string): Map<string, string> {
  const targets = new Map<string, string>()
  const bare = new Map<string, string | null>()
  for (const [name, target] of targetsWithKey(plan, key)) {
    const own = ownNames(target)
    if (!target.child) {
      for (const n of own) targets.set(headerKey(n), name)
      continue
    }
    for (const n of childNames(target, own)) targets.set(headerKey(n), name)
    for (const n of own) {
      const key = headerKey(n)
      bare.set(key, bare.has(key) && bare.get(key) !== name ? null : name)
    }
  }
  for (const [key, name] of bare) if (name && !targets.has(key)) targets.set(key, name)
  return targets
}

/**
 * The mapping a file's headers suggest: each header matched to a field by name or by label in
 * English, Chinese or Korean (`客户名称`, `고객명`, `Customer name` → `name`; a money field's
 * currency also under the header an export gives it, `信用额度 (币种)`); a header that
 * matches nothing, or a field already taken by an earlier header, maps to null. `saved` (a
 * mapping kept from an earlier import) wins for the headers it names. `key`: the upsert key, whose
 * auto-number field a header may then name too.
 * @example suggestMapping(plan, ['客户名称', 'Phone']) // { 客户名称: 'name', Phone: 'phone' }
 */
export function suggestMapping(
  plan: EntityPlan,
  headers: string[],
  saved?: ImportMapping | null,
  key?: string,
): ImportMapping {
  const targets = targetsByKey(plan, key)
  const mapping: ImportMapping = {}
  const taken = new Set<string>()
  for (const header of headers) {
    const kept = saved && Object.hasOwn(saved, header) ? saved[header] : undefined
    const target = kept !== undefined ? kept : (targets.get(headerKey(header)) ?? null)
    mapping[header] = target && !taken.has(target) ? target : null
    if (target) taken.add(target)
  }
  return mapping
}

/**
 * 400 for a mapping naming a header the file lacks, a target that is not an importable field
 * (an auto-number field is one only as the upsert `key`), or one field twice; 403 for a field (or a child table's field) the caller may not write.
 * Paths are `mapping.<header>`.
 */
export function assertMapping(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  plan: EntityPlan,
  headers: string[],
  mapping: unknown,
  key?: string,
): asserts mapping is ImportMapping {
  const w = importWords(ctx.user?.locale).text
  if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping))
    throw new BadRequestError(w('mappingObject'), [
      { path: 'mapping', message: w('mappingObjectField') },
    ])
  const targets = targetsWithKey(plan, key)
  const issues: Issue[] = []
  const seen = new Map<string, string>()
  for (const [header, target] of Object.entries(mapping)) {
    const path = `mapping.${header}`
    if (!headers.includes(header)) issues.push({ path, message: w('notColumn') })
    if (target === null) continue
    if (typeof target !== 'string' || !targets.has(target))
      issues.push({ path, message: w('notImportable', { target: String(target) }) })
    else if (seen.has(target))
      issues.push({ path, message: w('alreadyFilled', { target, header: seen.get(target)! }) })
    else seen.set(target, header)
  }
  if (issues.length)
    throw new BadRequestError(w('invalidMapping', { issue: issues[0].message }), issues)
  // An auto-number key is read to find records, never written.
  const refused = [...seen].filter(
    ([target]) =>
      !(target === key && isAutoNumberKey(plan, key)) &&
      !isWritable(ctx, plan, targets.get(target)!),
  )
  if (refused.length) throw refuseUnwritable(ctx, plan, refused)
}

/** The 403 naming the targets (mapped from their headers) the caller may not write. */
function refuseUnwritable(ctx: Pick<Ctx, 'user' | 'meta'>, plan: EntityPlan, refused: string[][]) {
  const w = fieldWords(ctx.user?.locale, ctx.meta.entities)
  // A money field's currency column is the field's too.
  const field = (target: string) => target.replace(/\.currency$/, '')
  const named = (target: string, asSent = field(target)) => ({
    field: w.field(plan.entity.id, field(target), asSent),
  })
  return new ForbiddenError(
    w.text('mayNotImport', named(refused[0][0], refused[0][0])),
    refused.map(([target, header]) => ({
      path: `mapping.${header}`,
      message: w.text('notWritable', named(target)),
    })),
  )
}

/** Whether the caller may write a target's field (and, for a child field, the child table). */
function isWritable(ctx: Pick<Ctx, 'user' | 'meta'>, plan: EntityPlan, target: ImportTarget) {
  const may = (entityId: string, name: string) => {
    const access = fieldAccess(ctx, entityId).get(name)
    return access === undefined || access === 'write'
  }
  if (!target.child) return may(plan.entity.id, target.field.name)
  return (
    may(plan.entity.id, target.child.field.name) &&
    may(target.child.plan.entity.id, target.field.name)
  )
}

import type { Field } from '../../metadata/field'
import { LOCALES, toLabel } from '../../metadata/labels'
import type { Ctx } from '../context'
import { BadRequestError, ForbiddenError, type Issue } from '../errors'
import { fieldAccess } from '../permissions'
import type { EntityPlan } from '../records'
import { EXPORT_WORDS } from './export-columns'

/** File header → target: a field name, `<money field>.currency`, or null (column ignored). */
export type ImportMapping = Record<string, string | null>

/** Field types a cell cannot carry (files, computed values, child rows). */
const NOT_IMPORTED = new Set(['attachment', 'attachments', 'autoNumber', 'formula', 'childTable'])

/** A header as it is compared: case, width of spaces, `*` and `:` marks ignored. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[*：:]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

/** The fields a file column may fill: stored, writable by metadata, not a file or computed. */
export function importableFields(plan: EntityPlan): Field[] {
  return plan.entity.fields.filter((f) => !f.readOnly && !NOT_IMPORTED.has(f.type))
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

/** Header keys → target, for every importable field (money: amount and `.currency`). */
function targetsByKey(plan: EntityPlan): Map<string, string> {
  const targets = new Map<string, string>()
  for (const field of importableFields(plan)) {
    for (const name of namesOf(field, '')) targets.set(headerKey(name), field.name)
    if (field.type !== 'money') continue
    for (const name of [...namesOf(field, '.currency'), ...exportedCurrencyHeaders(field)])
      targets.set(headerKey(name), `${field.name}.currency`)
  }
  return targets
}

/** The headers an export writes over a money field's currency (`Revenue (currency)`, `营收 (币种)`). */
function exportedCurrencyHeaders(field: Field): string[] {
  return LOCALES.map(
    (locale) => `${toLabel(field.label, locale)} (${toLabel(EXPORT_WORDS.currency, locale)})`,
  )
}

/**
 * The mapping a file's headers suggest: each header matched to a field by name or by label in
 * English, Chinese or Korean (`客户名称`, `고객명`, `Customer name` → `name`; a money field's
 * currency also under the header an export gives it, `信用额度 (币种)`); a header that
 * matches nothing, or a field already taken by an earlier header, maps to null. `saved` (a
 * mapping kept from an earlier import) wins for the headers it names.
 * @example suggestMapping(plan, ['客户名称', 'Phone']) // { 客户名称: 'name', Phone: 'phone' }
 */
export function suggestMapping(
  plan: EntityPlan,
  headers: string[],
  saved?: ImportMapping | null,
): ImportMapping {
  const targets = targetsByKey(plan)
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
 * 400 for a mapping naming a header the file lacks, a target that is not an importable field,
 * or one field twice; 403 for a field the caller may not write. Paths are `mapping.<header>`.
 */
export function assertMapping(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  plan: EntityPlan,
  headers: string[],
  mapping: unknown,
): asserts mapping is ImportMapping {
  if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping))
    throw new BadRequestError('The mapping must be an object', [
      { path: 'mapping', message: 'must be an object of header → field' },
    ])
  const importable = new Set(importableFields(plan).map((f) => f.name))
  const issues: Issue[] = []
  const seen = new Map<string, string>()
  for (const [header, target] of Object.entries(mapping)) {
    const path = `mapping.${header}`
    if (!headers.includes(header)) issues.push({ path, message: 'is not a column of the file' })
    if (target === null) continue
    const field = typeof target === 'string' ? target.replace(/\.currency$/, '') : ''
    const isCurrency = typeof target === 'string' && target.endsWith('.currency')
    const money = plan.fieldsByName.get(field)?.type === 'money'
    if (!importable.has(field) || (isCurrency && !money))
      issues.push({ path, message: `'${String(target)}' is not a field that can be imported` })
    else if (seen.has(target as string))
      issues.push({
        path,
        message: `'${target}' is already filled by '${seen.get(target as string)}'`,
      })
    else seen.set(target as string, header)
  }
  if (issues.length) throw new BadRequestError(`Invalid mapping: ${issues[0].message}`, issues)
  const access = fieldAccess(ctx, plan.entity.id)
  const refused = [...seen.keys()]
    .map((t) => t.replace(/\.currency$/, ''))
    .filter((f) => access.get(f) !== undefined && access.get(f) !== 'write')
  if (refused.length)
    throw new ForbiddenError(
      `You may not import '${refused[0]}'`,
      refused.map((f) => ({
        path: `mapping.${seen.get(f) ?? f}`,
        message: `field '${f}' is not writable for your roles`,
      })),
    )
}

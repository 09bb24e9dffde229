import { LOCALES, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { BadRequestError, ForbiddenError } from '../errors'
import { hiddenFields } from '../permissions'
import type { EntityPlan } from '../records'
import { fieldCells, type CellField } from './csv-cells'

/** System keys an export may name; always readable. */
const SYSTEM_KEYS = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy']

/** One exported field: its header cells and how a record's value becomes cells. */
export interface ExportColumn {
  name: string
  headers: string[]
  cells(value: unknown): string[]
}

function columnOf(name: string, field: CellField, locale: Locale): ExportColumn {
  return {
    name,
    headers: field.type === 'money' ? [name, `${name}.currency`] : [name],
    cells: (value) => fieldCells(field, value, locale),
  }
}

/** The language select labels are written in: the caller's, when the metadata knows it. */
function exportLocale(ctx: Pick<Ctx, 'user'>): Locale {
  const wanted = ctx.user?.locale
  return (LOCALES as readonly string[]).includes(wanted ?? '') ? (wanted as Locale) : 'en'
}

/**
 * The columns of an export: `fields` (comma-separated) or id plus every readable field.
 * An unknown or child-table field → 400 naming `fields`; an unreadable one → 403 naming it.
 */
export function exportColumns(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  plan: EntityPlan,
  fields: string | undefined,
): ExportColumn[] {
  const hidden = hiddenFields(ctx, plan.entity.id)
  const locale = exportLocale(ctx)
  const exportable = plan.entity.fields.filter((f) => f.type !== 'childTable')
  if (fields === undefined || fields.trim() === '') {
    return [
      columnOf('id', { type: 'text' }, locale),
      ...exportable.filter((f) => !hidden?.has(f.name)).map((f) => columnOf(f.name, f, locale)),
    ]
  }
  const names = fields.split(',').map((n) => n.trim())
  const byName = new Map(exportable.map((f) => [f.name, f]))
  const unknown = names.filter((n) => !byName.has(n) && !SYSTEM_KEYS.includes(n))
  const repeated = names.filter((n, i) => names.indexOf(n) !== i)
  if (unknown.length || repeated.length) {
    const issues = [
      ...unknown.map((n) => ({ path: 'fields', message: `unknown field '${n}'` })),
      ...repeated.map((n) => ({ path: 'fields', message: `field '${n}' appears twice` })),
    ]
    throw new BadRequestError(`Invalid fields: ${issues[0].message}`, issues)
  }
  const refused = names.filter((n) => hidden?.has(n))
  if (refused.length) {
    throw new ForbiddenError(
      `You may not export '${refused[0]}'`,
      refused.map((n) => ({
        path: 'fields',
        message: `field '${n}' is not readable for your roles`,
      })),
    )
  }
  return names.map((n) => columnOf(n, byName.get(n) ?? { type: 'text' }, locale))
}

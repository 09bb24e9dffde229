import type { Field } from '../../metadata/field'
import { LOCALES } from '../../metadata/labels'
import { headerKey } from './import-mapping'

/** A cell read for a field: its value, a text to look up (references, users), or a problem. */
export type CellValue = { value: unknown } | { lookup: string } | { issue: string }

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '对', '예', '네', 'o', '✓'])
const FALSE = new Set(['false', 'no', 'n', '0', '否', '错', '아니오', '아니요', 'x', ''])
const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/
const LOOKUP_TYPES = new Set(['reference', 'user', 'department'])

/** A number cell: thousands separators and a trailing % allowed; null when not a number. */
export function toNumber(text: string): number | null {
  const clean = text.replace(/[,\s\u00a0]/g, '').replace(/%$/, '')
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(clean)) return null
  const n = Number(clean)
  return Number.isFinite(n) ? n : null
}

/** A select field's options by each code and label as compared (the first option wins), and the cells already read. */
interface OptionIndex {
  byKey: Map<string, string>
  read: Map<string, string | null>
}

const optionIndexes = new WeakMap<Field, OptionIndex>()
/** Distinct cell texts remembered per field: a file's few option texts, never a column of ids. */
const MAX_READ = 1000

function optionIndex(field: Field): OptionIndex {
  let index = optionIndexes.get(field)
  if (index) return index
  index = { byKey: new Map(), read: new Map() }
  for (const option of field.options ?? [])
    for (const text of [option.value, ...LOCALES.map((l) => option.label[l])])
      if (text !== undefined && !index.byKey.has(headerKey(text)))
        index.byKey.set(headerKey(text), option.value)
  optionIndexes.set(field, index)
  return index
}

/** A select option by its code or its label in any language, case and width ignored. */
export function toOption(field: Field, text: string): string | null {
  const { byKey, read } = optionIndex(field)
  const known = read.get(text)
  if (known !== undefined) return known
  const option = byKey.get(headerKey(text)) ?? null
  if (read.size < MAX_READ) read.set(text, option)
  return option
}

function toDate(text: string): string | null {
  const m = DATE.exec(text)
  const iso = m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : text.slice(0, 10)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null
}

/**
 * The input value of one non-empty cell for `field`, as the API would receive it: numbers
 * parsed, booleans from yes/no in three languages, dates normalised, selects by code or label,
 * multi-selects split on `;`, json parsed. The record's own validation judges the rest.
 * @example toCellValue({ name: 'level', type: 'select', options }, 'A（重点客户）') // { value: 'A' }
 */
export function toCellValue(field: Field, text: string): CellValue {
  const t = text.trim()
  if (LOOKUP_TYPES.has(field.type)) return { lookup: t }
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'money': {
      const n = toNumber(t)
      if (n === null) return { issue: `'${t}' is not a number` }
      return { value: field.type === 'money' ? { amount: n } : n }
    }
    case 'boolean': {
      const key = t.toLowerCase()
      if (TRUE.has(key)) return { value: true }
      if (FALSE.has(key)) return { value: false }
      return { issue: `'${t}' is not yes or no` }
    }
    case 'date': {
      const date = toDate(t)
      return date ? { value: date } : { issue: `'${t}' is not a date (YYYY-MM-DD)` }
    }
    case 'datetime': {
      const d = new Date(t.includes('T') || t.length <= 10 ? t : t.replace(' ', 'T'))
      return Number.isNaN(d.getTime())
        ? { issue: `'${t}' is not a date and time` }
        : { value: d.toISOString() }
    }
    case 'select': {
      const option = toOption(field, t)
      return option === null ? { issue: `'${t}' is not one of the options` } : { value: option }
    }
    case 'multiSelect': {
      const parts = t
        .split(/[;；,，、]/)
        .map((p) => p.trim())
        .filter(Boolean)
      const values = parts.map((p) => toOption(field, p))
      const bad = parts.find((_, i) => values[i] === null)
      return bad !== undefined ? { issue: `'${bad}' is not one of the options` } : { value: values }
    }
    case 'autoNumber':
      // Only ever an upsert key: compared as typed, spaces around it aside.
      return { value: t }
    case 'json':
      try {
        return { value: JSON.parse(t) }
      } catch {
        return { issue: 'is not valid JSON' }
      }
    default:
      return { value: text }
  }
}

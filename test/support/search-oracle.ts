import type { OracleUser, PermissionOracle } from './permission-oracle'

/** Field types whose column holds plain text: the only ones free-text search reads. */
const TEXT_TYPES = new Set([
  'text',
  'longText',
  'richText',
  'email',
  'phone',
  'url',
  'select',
  'autoNumber',
])

/** Whether search reads a field of this type (and shows it as a title verbatim). */
export const isTextType = (type: string): boolean => TEXT_TYPES.has(type)

/** A record the search should find, with the fields that contain the text and its rank. */
export interface ExpectedHit {
  id: string
  matched: string[]
  /** 0: the title starts with the text; 1: another field does; 2: a field contains it. */
  rank: number
  createdAt: string
}

export interface SearchOracle {
  /** The fields the user's search may read in the entity: title and search fields, text, readable. */
  fields(user: OracleUser, entityId: string): string[]
  /** Every readable record of the entity the text finds, best first (rank, then newest). */
  hits(user: OracleUser, entityId: string, q: string): ExpectedHit[]
}

// ILIKE folds ASCII letters everywhere; the demo data has no other cased letters.
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** What free-text search must answer, decided from the permission oracle and the stored rows. */
export function searchOracle(oracle: PermissionOracle): SearchOracle {
  const fields = (user: OracleUser, entityId: string): string[] => {
    const entity = oracle.world.meta.entities.get(entityId)
    if (!entity || entity.childOf || !oracle.canAttempt(user, entityId, 'read')) return []
    const hidden = oracle.hidden(user, entityId)
    const names = [...(entity.searchFields ?? [])]
    if (entity.titleField && !names.includes(entity.titleField)) names.unshift(entity.titleField)
    return names.filter((name) => {
      const field = entity.fields.find((f) => f.name === name)
      return !!field && TEXT_TYPES.has(field.type) && !hidden.has(name)
    })
  }
  const hits = (user: OracleUser, entityId: string, q: string): ExpectedHit[] => {
    const names = fields(user, entityId)
    if (!names.length) return []
    const title = oracle.world.meta.entities.get(entityId)!.titleField
    const text = fold(q)
    const readable = oracle.allowed(user, entityId, 'read')
    const out: ExpectedHit[] = []
    const entity = oracle.world.meta.entities.get(entityId)!
    for (const record of oracle.world.records.get(entityId) ?? []) {
      if (!readable.has(record.id)) continue
      // The texts a field is found by: its value, and for a select its option's labels too.
      const texts = (name: string): string[] => {
        const stored = String(record.values[name] ?? '')
        const field = entity.fields.find((f) => f.name === name)
        const option =
          field?.type === 'select' ? field.options?.find((o) => o.value === stored) : undefined
        const labels = Object.values(option?.label ?? {}).map((l) => String(l).toLowerCase())
        return [fold(stored), ...labels]
      }
      const has = (name: string) => texts(name).some((v) => v.includes(text))
      const starts = (name: string) => texts(name).some((v) => v.startsWith(text))
      const matched = names.filter(has)
      if (!matched.length) continue
      const rank = title && names.includes(title) && starts(title) ? 0 : names.some(starts) ? 1 : 2
      out.push({ id: record.id, matched, rank, createdAt: record.createdAt })
    }
    return out.sort((a, b) => a.rank - b.rank || b.createdAt.localeCompare(a.createdAt))
  }
  return { fields, hits }
}

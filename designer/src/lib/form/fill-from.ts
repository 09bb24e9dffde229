import type { Entity } from '$metadata/entity'
import { getRecord, type RecordData } from '../api/data'

/** Reads the picked record (the API by default). */
export type LoadRecord = (entity: string, id: string) => Promise<RecordData>

const fromApi: LoadRecord = async (entity, id) => (await getRecord(entity, id)).record

/**
 * The values a pick of reference field `name` fills in (each field whose `fillFrom` names it,
 * e.g. a line's unit price from the product), read from the picked record — as the server does
 * on save when the field is left out. Empty when nothing is filled from `name` or nothing picked.
 * @example await fillFromPick(orderLine, 'product', productId) // { unitPrice: { amount: 4800, … } }
 */
export async function fillFromPick(
  entity: Entity,
  name: string,
  picked: unknown,
  load: LoadRecord = fromApi,
): Promise<RecordData> {
  const reference = entity.fields.find((f) => f.name === name && f.type === 'reference')
  const fills = entity.fields.filter((f) => f.fillFrom?.reference === name)
  if (!reference?.entity || !fills.length || typeof picked !== 'string' || !picked) return {}
  let source: RecordData
  try {
    source = await load(reference.entity, picked)
  } catch {
    // A record the caller cannot read fills nothing; the server answers on save.
    return {}
  }
  const values: RecordData = {}
  for (const field of fills) {
    const value = source[field.fillFrom!.field]
    if (value !== undefined && value !== null) values[field.name] = structuredClone(value)
  }
  return values
}

/**
 * The filled values whose field still holds what it held at the pick: a price typed in while the
 * product's record was on its way is kept, not overwritten by the product's list price.
 * @example keepTyped({ unitPrice: list }, { unitPrice: typed }, { unitPrice: null }) // {}
 */
export function keepTyped(filled: RecordData, now: RecordData, atPick: RecordData): RecordData {
  // By value: the form's state hands back its own copies (proxies) of the objects it was given.
  const same = (k: string) => JSON.stringify(now[k] ?? null) === JSON.stringify(atPick[k] ?? null)
  return Object.fromEntries(Object.entries(filled).filter(([k]) => same(k)))
}

import type { Entity } from '$metadata/entity'
import { previewRecord, type RecordData } from '../api/data'

/** Context key: the record editor's entity id and working copy, for grids inside it. */
export const DRAFT_RECORD = Symbol('draft-record')
export type DraftRecord = () => { entity: string; record: RecordData }

/** Asks the server what a save would fill (the API by default). */
export type Preview = (entity: string, draft: RecordData) => Promise<RecordData>

/**
 * The latestFrom values row `index` of child table `table` would get if the draft were saved now,
 * when cell `name` is one they match on (a line's product); empty otherwise, or when the server
 * cannot answer (the save fills them anyway).
 * @example await latestForRow(quoteLine, 'product', draft, 'lines', 0) // { lastPaidPrice: {…} }
 */
export async function latestForRow(
  child: Entity,
  name: string,
  draft: { entity: string; record: RecordData },
  table: string,
  index: number,
  preview: Preview = previewRecord,
): Promise<RecordData> {
  const matched = child.fields.some(
    (f) => f.latestFrom && Object.values(f.latestFrom.match).includes(name),
  )
  if (!matched) return {}
  try {
    const answer = await preview(draft.entity, draft.record)
    const rows = answer[table]
    const row = Array.isArray(rows) ? (rows[index] as RecordData | null) : null
    return row ?? {}
  } catch {
    return {}
  }
}

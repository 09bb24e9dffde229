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

/**
 * The latestFrom values of the record's own fields a save of the draft would fill, when field
 * `name` is one they match on (`null`: any, for a new record's starting values); empty otherwise,
 * or when the server cannot answer.
 * @example await latestForRecord(leaveRequest, 'applicant', draft) // { department: 'd1' }
 */
export async function latestForRecord(
  entity: Entity,
  name: string | null,
  draft: { entity: string; record: RecordData },
  preview: Preview = previewRecord,
): Promise<RecordData> {
  const filled = entity.fields.filter(
    (f) => f.latestFrom && (name === null || Object.values(f.latestFrom.match).includes(name)),
  )
  if (!filled.length) return {}
  try {
    const answer = await preview(draft.entity, draft.record)
    return Object.fromEntries(filled.map((f) => [f.name, answer[f.name] ?? null]))
  } catch {
    return {}
  }
}

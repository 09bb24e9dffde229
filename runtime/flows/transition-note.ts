import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import type { RecordData } from '../records'

/** The audit action of a transition's comment in the record's history. */
export const TRANSITION_NOTE_ACTION = 'transition'

/**
 * Writes the comment typed on a transition that went straight through (no approval, whose own
 * timeline keeps its comments) into the record's history, as an audit row of the transition's
 * version: `$transition` names the transition fired, `$comment` holds the text. Keys starting
 * with `$` are never field names, so history readers and SLA replays do not take them for one.
 * @example await recordTransitionNote(c, 'dispatch', record, 'complete', 'Replaced the fuser')
 */
export async function recordTransitionNote(
  ctx: Ctx,
  entity: string,
  record: RecordData,
  transition: string,
  comment: string | undefined,
): Promise<void> {
  const text = comment?.trim()
  if (!text) return
  const changes = JSON.stringify({
    $transition: { before: null, after: transition },
    $comment: { before: null, after: text },
  })
  await ctx.db.query(sql`
    insert into audit_log (entity, record_id, action, user_id, at, request_id, changes, version)
    values (${entity}, ${record.id as string}::uuid, ${TRANSITION_NOTE_ACTION},
      ${ctx.user?.id ?? null}::uuid, ${ctx.clock.now().toISOString()}::timestamptz,
      ${ctx.requestId ?? null}, ${changes}::jsonb, ${Number(record.version)})`)
}

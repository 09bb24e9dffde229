import { sql } from 'drizzle-orm'
import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { NotFoundError } from '../errors'
import { flowById } from './flow-of'

/** Older flow versions per database, read once: a published version never changes. */
const cache = new WeakMap<object, Map<string, Flow>>()

/**
 * The definition of flow `id` at `version`: the live one when it is that version, else the one
 * stored in metadata_versions (a running instance finishes on the version it started with).
 */
export async function flowAtVersion(ctx: Ctx, id: string, version: number): Promise<Flow> {
  const live = flowById(ctx.meta, id)
  if (live && (live.version ?? 1) === version) return live
  let versions = cache.get(ctx.db)
  if (!versions) cache.set(ctx.db, (versions = new Map()))
  const key = `${id}@${version}`
  const known = versions.get(key)
  if (known) return known
  const [row] = await ctx.db.query<{ definition: Flow | string }>(sql`
    select definition from metadata_versions
    where kind = 'flow' and def_id = ${id} and version = ${version}`)
  const stored = typeof row?.definition === 'string' ? JSON.parse(row.definition) : row?.definition
  if (stored && !stored.$deleted) {
    const flow: Flow = { ...stored, version }
    if (versions.size < 1000) versions.set(key, flow)
    return flow
  }
  // A set built without metadata_versions rows (a test's in-memory bundle) answers its own.
  if (live) return live
  throw new NotFoundError(`Flow '${id}' version ${version} is not published`, [
    { path: 'flow', message: `no version ${version} of '${id}'` },
  ])
}

import { createWriteStream, existsSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import { basename, resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import type { CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { currentUserColumns, toCurrentUser, type CurrentUserRow } from '../../runtime/identity'
import type { Ctx } from '../../runtime/context'
import {
  importErrorFile,
  importOrganisation,
  runImport,
  type ImportMapping,
  type OrgMapping,
} from '../../runtime/io'
import { requireEntity } from '../../runtime/registry'
import { openInstance } from './open-instance'

/** What `trellis import` takes besides the entity and the file. */
export interface ImportCommandOptions {
  upsert?: string
  group?: string
  as?: string
  mapping?: string
  errors?: string
  batch?: string
}

export const IMPORT_HELP = `trellis import <entity> <file.csv|file.xlsx> [options]
trellis import users <file> [--mapping FILE] [--as USERNAME]
                               the organisation: username, name, email, department path, manager, roles

  --upsert KEY     update the record a de-duplication rule or unique field finds, else create;
                   or by an auto-number (number): an empty cell creates, an unknown number is refused
  --group HEADER   with child columns (lines.product…): the column whose repeated (or empty) cells
                   make consecutive rows one record (default: the upsert key's columns, else a
                   row whose record columns are all empty continues the record above)
  --as USERNAME    import as this user, in their import scope (default: the system user)
  --mapping FILE   JSON object of file header → field, or null to skip the column (default:
                   headers matched by name or label; for users: username, displayName, email,
                   department, manager, roles)
  --errors FILE    write the refused rows with their reason to FILE (CSV)
  --batch N        rows per transaction (default 500)

Run again with the same file and options after an interruption: it resumes after the last
committed row and imports nothing twice.`

/** The user `--as` names, with roles and scopes, or an error naming the option. */
async function actingUser(db: Db, username: string): Promise<CurrentUser> {
  const [row] = await db.query<CurrentUserRow>(
    sql`select ${currentUserColumns} from users u where lower(u.username) = ${username.toLowerCase()} and not u.disabled`,
  )
  if (!row) throw new Error(`--as: no active user '${username}'`)
  return toCurrentUser(row)
}

/** The `--mapping` file: a JSON object of header → field, or an error naming the option. */
function readMapping(file: string): Record<string, string | null> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`--mapping: ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`--mapping: ${file}: must be a JSON object of file header → field`)
  return parsed as Record<string, string | null>
}

/** `trellis import users <file>`: the organisation, with a report of what did not resolve. */
async function importUsers(ctx: Ctx, path: string, mapping?: OrgMapping): Promise<number> {
  const report = await importOrganisation(ctx, { path, name: basename(path) }, mapping)
  for (const p of report.problems) console.error(`row ${p.row} ${p.field} '${p.text}': ${p.reason}`)
  for (const d of report.departmentsCreated) console.log(`department created: ${d}`)
  console.log(
    `Users: ${report.created} created (random passwords: reset them), ${report.updated} updated, ${report.problems.length} problem(s).`,
  )
  return report.problems.length ? 3 : 0
}

/**
 * `trellis import <entity> <file>`: the operator's import, through the same runtime as the
 * workspace's (validation, rules, de-duplication, audit), progress on stderr.
 */
export async function runImportCommand(
  entity: string | undefined,
  file: string | undefined,
  options: ImportCommandOptions,
): Promise<number> {
  if (!entity || !file) throw new Error(IMPORT_HELP)
  const path = resolve(file)
  if (!existsSync(path)) throw new Error(`${file}: no such file`)
  const mapping = options.mapping ? readMapping(options.mapping) : undefined
  const batchSize = options.batch ? Number(options.batch) : undefined
  if (batchSize !== undefined && !(batchSize >= 1))
    throw new Error('--batch must be a positive number')
  const { ctx, db } = await openInstance()
  try {
    if (entity === 'users')
      return await importUsers(
        { ...ctx, user: options.as ? await actingUser(db, options.as) : ctx.user },
        path,
        mapping as OrgMapping | undefined,
      )
    requireEntity(ctx.meta, entity, ctx.user?.locale)
    const user = options.as ? await actingUser(db, options.as) : ctx.user
    const runCtx = { ...ctx, user }
    const job = await runImport(
      runCtx,
      entity,
      { path, name: basename(path) },
      {
        key: options.upsert,
        group: options.group,
        mapping: mapping as ImportMapping | undefined,
        batchSize,
      },
      (j) =>
        process.stderr.write(
          `\rrows ${j.rowsDone}: ${j.inserted} inserted, ${j.updated} updated, ${j.failed} refused`,
        ),
    )
    process.stderr.write('\n')
    if (options.errors && job.failed) {
      const out = createWriteStream(options.errors)
      for await (const chunk of importErrorFile(runCtx, job.id))
        if (!out.write(chunk)) await once(out, 'drain')
      out.end()
      await once(out, 'finish')
    }
    console.log(
      `Imported ${job.totalRows ?? job.rowsDone} row(s) into ${entity}: ${job.inserted} inserted, ${job.updated} updated, ${job.failed} refused (run ${job.id}).`,
    )
    return job.failed ? 3 : 0
  } finally {
    await db.close()
  }
}

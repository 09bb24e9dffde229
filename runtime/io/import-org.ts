import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { TrellisError } from '../errors'
import {
  assertOrgAdmin,
  createDepartment,
  createOrgUser,
  listDepartments,
  updateOrgUser,
  type Department,
} from '../org'
import { readOrgFile, type OrgMapping } from './import-org-file'
import type { ImportFile } from './import-setup'

/** Something of a row that did not resolve or was refused, and why. */
export interface OrgImportProblem {
  row: number
  field: string
  text: string
  reason: string
}

/** What an organisation import did. */
export interface OrgImportReport {
  created: number
  updated: number
  departmentsCreated: string[]
  problems: OrgImportProblem[]
}

/**
 * Department ids by path (`Company/Sales/East`) and by name, creating the missing ones (`dryRun`:
 * only noting them in `departmentsCreated`, with a stand-in id).
 */
export async function departmentResolver(ctx: Ctx, report: OrgImportReport, dryRun = false) {
  const all = await listDepartments(ctx)
  const byId = new Map(all.map((d) => [d.id, d]))
  const pathOf = (id: string): string => {
    const d = byId.get(id)!
    return d.parentId && byId.has(d.parentId) ? `${pathOf(d.parentId)}/${d.name}` : d.name
  }
  const byPath = new Map(all.map((d) => [pathOf(d.id), d.id]))
  return async (text: string): Promise<string | { reason: string }> => {
    const parts = text
      .split('/')
      .map((p) => p.trim())
      .filter(Boolean)
    if (parts.length === 1) {
      const named = all.filter((d) => d.name === parts[0])
      if (named.length > 1)
        return { reason: `${named.length} departments are called '${parts[0]}': give its path` }
      if (named.length === 1) return named[0].id
    }
    let parentId: string | null = null
    for (let i = 0; i < parts.length; i++) {
      const path = parts.slice(0, i + 1).join('/')
      let id: string | undefined = byPath.get(path)
      if (!id) {
        const kind: Department['kind'] = i === 0 && !parentId ? 'company' : 'department'
        const input = { name: parts[i], parentId, kind }
        const made: Department = dryRun
          ? { ...input, id: `new:${path}`, headUserId: null, sortOrder: 0 }
          : await createDepartment(ctx, input)
        all.push(made)
        byId.set(made.id, made)
        byPath.set(path, (id = made.id))
        report.departmentsCreated.push(path)
      }
      parentId = id
    }
    return parentId!
  }
}

/** A user a manager cell may name. */
export interface NamedUser {
  id: string
  username: string
  display_name: string
}

/**
 * Users by username (any case) or display name; several by one name are ambiguous. `extra`: users
 * a preview expects the file to create.
 */
export async function userIndex(ctx: Ctx, extra: NamedUser[] = []) {
  const stored = await ctx.db.query<NamedUser>(
    sql`select id::text as id, username, display_name from users`,
  )
  const rows = [...stored, ...extra]
  const byUsername = new Map(rows.map((u) => [u.username.toLowerCase(), u.id]))
  return (text: string, usernameOnly = false): string | { reason: string } => {
    const id = byUsername.get(text.toLowerCase())
    if (id) return id
    if (usernameOnly) return { reason: `no user '${text}'` }
    const named = rows.filter((u) => u.display_name === text)
    if (named.length === 1) return named[0].id
    return {
      reason: named.length
        ? `${named.length} users are called '${text}': give a username`
        : `no user '${text}'`,
    }
  }
}

/**
 * Imports an organisation (a consultant onboarding a company): per row a user by username —
 * created with a random password (to be reset) or updated — with name, email, department (a path
 * `Company/Sales/East`, departments created as needed), manager (username or name, resolved after
 * every user of the file exists) and roles. Nothing is guessed: an ambiguous or unknown manager,
 * an unknown role or a refused user is reported with its row, and the rest goes on.
 * `mapping` names each header's column (else they are matched by name).
 * @example const report = await importOrganisation(ctx, { path, name: 'staff.xlsx' })
 */
export async function importOrganisation(
  ctx: Ctx,
  file: ImportFile,
  mapping?: OrgMapping,
): Promise<OrgImportReport> {
  assertOrgAdmin(ctx)
  const report: OrgImportReport = { created: 0, updated: 0, departmentsCreated: [], problems: [] }
  const problem = (row: number, field: string, text: string, reason: string) =>
    report.problems.push({ row, field, text, reason })
  const { rows } = await readOrgFile(file, mapping, true, ctx.user?.locale)
  const department = await departmentResolver(ctx, report)
  let findUser = await userIndex(ctx)
  const ids = new Map<number, string>()
  for (const { row, cells } of rows) {
    if (!cells.username) {
      problem(row, 'username', '', 'is required')
      continue
    }
    const patch: Record<string, unknown> = {}
    if (cells.displayName) patch.displayName = cells.displayName
    if (cells.email) patch.email = cells.email
    if (cells.department) {
      const found = await department(cells.department)
      if (typeof found === 'string') patch.departmentId = found
      else problem(row, 'department', cells.department, found.reason)
    }
    if (cells.roles) {
      const roles = splitRoles(cells.roles)
      const unknown = roles.filter((r) => !ctx.meta.roles.has(r))
      for (const r of unknown) problem(row, 'roles', r, `no role '${r}'`)
      patch.roles = roles.filter((r) => ctx.meta.roles.has(r))
    }
    const existing = findUser(cells.username, true)
    try {
      if (typeof existing === 'string') {
        await updateOrgUser(ctx, existing, patch)
        ids.set(row, existing)
        report.updated++
      } else {
        const password = randomBytes(18).toString('base64url')
        const user = await createOrgUser(ctx, {
          ...patch,
          username: cells.username,
          displayName: cells.displayName ?? cells.username,
          password,
        })
        ids.set(row, user.id)
        report.created++
      }
    } catch (err) {
      if (!(err instanceof TrellisError) || err.status >= 500) throw err
      const detail = err.details[0]
      problem(row, detail?.path || 'user', cells.username, detail?.message ?? err.message)
    }
  }
  findUser = await userIndex(ctx)
  for (const { row, cells } of rows) {
    const id = ids.get(row)
    if (!id || !cells.manager) continue
    const manager = findUser(cells.manager)
    if (typeof manager !== 'string') {
      problem(row, 'manager', cells.manager, manager.reason)
      continue
    }
    try {
      await updateOrgUser(ctx, id, { managerId: manager })
    } catch (err) {
      if (!(err instanceof TrellisError) || err.status >= 500) throw err
      problem(row, 'manager', cells.manager, err.details[0]?.message ?? err.message)
    }
  }
  return report
}

/** A roles cell's role ids: `;`, `,`, `，` or `、` between them. */
export function splitRoles(text: string): string[] {
  return text
    .split(/[;,，、]/)
    .map((r) => r.trim())
    .filter(Boolean)
}

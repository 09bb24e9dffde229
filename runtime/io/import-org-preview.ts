import type { Ctx } from '../context'
import { validateNewUser } from '../identity'
import { assertOrgAdmin, parseUserPatch } from '../org'
import {
  departmentResolver,
  splitRoles,
  userIndex,
  type NamedUser,
  type OrgImportProblem,
  type OrgImportReport,
} from './import-org'
import { readOrgFile, type OrgColumn, type OrgMapping } from './import-org-file'
import type { ImportFile } from './import-setup'

/** What an organisation file would do, nothing written. */
export interface OrgImportPreview {
  headers: string[]
  mapping: OrgMapping
  totalRows: number
  /** Users the file would create and update. */
  creates: number
  updates: number
  /** Department paths the run would create. */
  departmentsCreated: string[]
  /** The first `limit` rows: their cells by column and what the run would do with the user. */
  rows: { row: number; cells: Partial<Record<OrgColumn, string>>; action: 'create' | 'update' }[]
  /** Everything the run would report: unknown or ambiguous names, unknown roles, bad cells. */
  problems: OrgImportProblem[]
}

// A stand-in password: a preview checks the user's other fields as the run would create them.
const CHECKED_PASSWORD = 'x'.repeat(64)

/**
 * Reads an organisation file as `importOrganisation` would run it — the mapping, which users are
 * new, which departments would be created, and every department, manager or role that would not
 * resolve (a manager may be a user the file creates) — and writes nothing. A file whose mapping
 * has no username column is answered with its headers and that one problem (row 0).
 * @example const { problems } = await previewOrganisation(ctx, { path, name: 'staff.csv' })
 */
export async function previewOrganisation(
  ctx: Ctx,
  file: ImportFile,
  mapping?: OrgMapping,
  limit = 20,
): Promise<OrgImportPreview> {
  assertOrgAdmin(ctx)
  const read = await readOrgFile(file, mapping, false, ctx.user?.locale)
  const preview = { headers: read.headers, mapping: read.mapping, totalRows: read.rows.length }
  // Shown with its headers, so that the caller can say which column is the username.
  if (!Object.values(read.mapping).includes('username'))
    return {
      ...preview,
      creates: 0,
      updates: 0,
      departmentsCreated: [],
      rows: [],
      problems: [{ row: 0, field: 'username', text: '', reason: 'no column holds the username' }],
    }
  const report: OrgImportReport = { created: 0, updated: 0, departmentsCreated: [], problems: [] }
  const problem = (row: number, field: string, text: string, reason: string) =>
    report.problems.push({ row, field, text, reason })
  const department = await departmentResolver(ctx, report, true)
  const stored = await userIndex(ctx)
  const fileUsers: NamedUser[] = []
  const out: OrgImportPreview['rows'] = []
  for (const { row, cells } of read.rows) {
    if (!cells.username) {
      problem(row, 'username', '', 'is required')
      continue
    }
    const exists = typeof stored(cells.username, true) === 'string'
    const fields = {
      displayName: cells.displayName ?? cells.username,
      ...(cells.email ? { email: cells.email } : {}),
    }
    const issues = exists
      ? parseUserPatch(fields, ctx.meta).issues
      : validateNewUser({ ...fields, username: cells.username, password: CHECKED_PASSWORD })
    for (const i of issues) problem(row, i.path, cells[columnOf(i.path)] ?? '', i.message)
    if (cells.department) {
      const found = await department(cells.department)
      if (typeof found !== 'string') problem(row, 'department', cells.department, found.reason)
    }
    for (const r of splitRoles(cells.roles ?? ''))
      if (!ctx.meta.roles.has(r)) problem(row, 'roles', r, `no role '${r}'`)
    if (issues.length) continue
    if (exists) report.updated++
    else {
      report.created++
      fileUsers.push({
        id: `new:${row}`,
        username: cells.username,
        display_name: fields.displayName,
      })
    }
    if (out.length < limit) out.push({ row, cells, action: exists ? 'update' : 'create' })
  }
  const findUser = await userIndex(ctx, fileUsers)
  for (const { row, cells } of read.rows) {
    if (!cells.manager || !cells.username) continue
    const manager = findUser(cells.manager)
    if (typeof manager !== 'string') problem(row, 'manager', cells.manager, manager.reason)
  }
  return {
    ...preview,
    creates: report.created,
    updates: report.updated,
    departmentsCreated: report.departmentsCreated,
    rows: out,
    problems: report.problems,
  }
}

/** The column a user field's issue is about. */
function columnOf(path: string): OrgColumn {
  return path === 'displayName' || path === 'email' ? path : 'username'
}

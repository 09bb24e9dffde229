import { postFile } from './imports'

/** What a column of an organisation file fills. */
export type OrgColumn = 'username' | 'displayName' | 'email' | 'department' | 'manager' | 'roles'
export const ORG_COLUMNS: OrgColumn[] = [
  'username',
  'displayName',
  'email',
  'department',
  'manager',
  'roles',
]

/** A cell of a row that did not resolve, and why. */
export interface OrgProblem {
  row: number
  field: string
  text: string
  reason: string
}

/** What an organisation file would do. */
export interface OrgImportPreview {
  headers: string[]
  mapping: Record<string, OrgColumn | null>
  totalRows: number
  creates: number
  updates: number
  departmentsCreated: string[]
  problems: OrgProblem[]
}

/** What the run did. */
export interface OrgImportReport {
  created: number
  updated: number
  departmentsCreated: string[]
  problems: OrgProblem[]
}

const query = (mapping?: Record<string, OrgColumn | null>) =>
  new URLSearchParams(mapping ? { mapping: JSON.stringify(mapping) } : {})

/** The file read as the run would read it, nothing written (administrators only). */
export const previewOrgImport = (file: File, mapping?: Record<string, OrgColumn | null>) =>
  postFile<OrgImportPreview>('/api/admin/org-import/preview', query(mapping), file)

/** Imports the people of the file; answers what did not resolve. */
export const runOrgImport = (file: File, mapping: Record<string, OrgColumn | null>) =>
  postFile<OrgImportReport>('/api/admin/org-import', query(mapping), file)

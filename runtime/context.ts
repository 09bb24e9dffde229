import type { Clock } from './clock'
import type { Db } from './db'
import type { FileStore } from './files/file-store'
import type { MetadataSet } from './registry'

/** The caller, as the runtime sees it. */
export interface CurrentUser {
  id: string
  username: string
  displayName: string
  locale: string
  /** Administrators hold every right (the built-in `admin` flag of users). */
  isAdmin: boolean
  departmentId?: string | null
  managerId?: string | null
  /** Role ids (metadata roles); their permissions are united. */
  roles?: string[]
  /** Extra `$user` variables for row filters (e.g. `region`). */
  attributes?: Record<string, unknown>
  /** Set when the caller authenticated with an API token limited to some of their roles. */
  viaToken?: string
  /**
   * Entities on which some record is shared with the user or their department, sorted (expired
   * shares included). Scopes leave the shares branch out elsewhere, which keeps an owner's list an
   * ordered index read. Undefined: not known, every scope keeps the branch.
   */
  sharedEntities?: readonly string[]
}

/** Minimal structured logger (pino fits). */
export interface Logger {
  info(obj: object | string, msg?: string): void
  warn(obj: object | string, msg?: string): void
  error(obj: object | string, msg?: string): void
  debug(obj: object | string, msg?: string): void
}

/** What every runtime function receives first. Nothing in the runtime reads globals. */
export interface Ctx {
  db: Db
  user: CurrentUser | null
  clock: Clock
  log: Logger
  /** The published metadata this request runs against. */
  meta: MetadataSet
  /** Carried into audit and logs. */
  requestId?: string
  /** Where uploaded files' bytes live (see runtime/files); absent where nothing stores files. */
  files?: FileStore
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} }

/** The identity used by CLI commands, seeds and migrations. */
export const SYSTEM_USER: CurrentUser = {
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  displayName: 'System',
  locale: 'en',
  isAdmin: true,
}

import type { Logger as PinoLogger } from 'pino'
import type { Clock } from '../runtime/clock'
import type { CurrentUser } from '../runtime/context'
import type { Db } from '../runtime/db'
import type { FileStore, UploadLimits } from '../runtime/files'
import type { SessionResolver } from '../runtime/identity'
import type { JobQueue } from '../runtime/jobs/queue'
import type { MetadataSet } from '../runtime/registry'
import type { PdfPrinter } from '../runtime/templates'

/** The live metadata as the server sees it: a cached promise, reset after every apply. */
export interface MetadataSource {
  current(): Promise<MetadataSet>
  /** The set `current()` would give, when it is loaded already (routes then answer without a promise). */
  peek?(): MetadataSet | undefined
  invalidate(): void
}

/** Everything `buildApp` needs from the process that hosts it. */
export interface AppDeps {
  db: Db
  log: PinoLogger
  clock: Clock
  metadata: MetadataSource
  /** Resolves session tokens, from memory when it can; `buildApp` makes one when absent. */
  sessions?: SessionResolver
  /** Proxies in front of the server that append the peer to X-Forwarded-For (default 0). */
  trustedProxies?: number
  /** The job queue this process adds to; `/api/health` reports on it for administrators. */
  queue?: JobQueue
  /** Where uploads go; without one, uploading and downloading files fail. */
  files?: FileStore
  /** The instance's upload limits (default 25 MB, documents and images). */
  uploads?: UploadLimits
  /** Prints PDFs (Chromium); without one, prints answer the HTML print view. */
  printer?: PdfPrinter
  /** The instance's IANA time zone: the dates and times prints show (default UTC). */
  timeZone?: string
  /** Built designer (SvelteKit static output); served for non-/api GETs when given. */
  designerDir?: string
}

/** Hono's per-request variables, set by the middleware in `server/middleware`. */
export interface AppEnv {
  Variables: {
    requestId: string
    user: CurrentUser | null
    /** How the caller authenticated: cookie-authenticated writes get a CSRF check. */
    authVia: 'bearer' | 'cookie' | null
  }
}

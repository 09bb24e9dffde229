import { existsSync } from 'node:fs'
import { LOCALES } from '../metadata/labels'
import { join, resolve } from 'node:path'
import { DEFAULT_UPLOAD_LIMITS, type S3Settings, type UploadLimits } from '../runtime/files'
import { DEFAULT_CHROMIUM_PATH } from '../runtime/templates'

/** Settings read from the environment, in one place. */
export interface Config {
  port: number
  host: string
  databaseUrl?: string
  dataDir: string
  /**
   * `start` on PGlite compiles its WebAssembly for memory, not for speed (default true:
   * `TRELLIS_PGLITE_LEAN=false` trades about 60 MB for faster scans and aggregates).
   */
  pgliteLean: boolean
  /** redis://… — jobs on BullMQ (several processes); without it, the in-process queue. */
  redisUrl?: string
  /** Namespace of this instance's keys in Redis (default `trellis`): instances may share one. */
  redisPrefix: string
  /** Whether `start` runs job handlers too (default true; false leaves them to `trellis worker`). */
  apiRunsJobs: boolean
  /** `event` and `timer` jobs a process runs at once, each (default 8). */
  jobConcurrency: number
  logLevel: string
  /** Install the four modules, demo users and demo data into an empty instance. */
  demo: boolean
  demoScale: number
  /** Proxies in front that append the peer to X-Forwarded-For (0: trust none). */
  trustedProxies: number
  /** `smtp://user:pass@host:port`; unset: alert mail is kept in process, not sent. */
  smtpUrl?: string
  /** The From address of alert mail. */
  mailFrom: string
  /** A generic HTTP SMS gateway (JSON POST `{ to, text }` with a bearer token); unset: no SMS. */
  smsGatewayUrl?: string
  smsGatewayToken?: string
  /** The instance's IANA time zone: the 09:00 of date reminders and the times alert texts show. */
  timeZone: string
  /** The language of what is sent to addresses with no user behind them (a contact's SMS or mail). */
  locale: string
  /** Chromium that prints PDFs (`TRELLIS_CHROMIUM`, default /usr/bin/chromium when installed); unset: HTML print view. */
  chromiumPath?: string
  /** Where uploaded files live: `files/` in the data folder unless TRELLIS_FILES_DIR says. */
  filesDir: string
  /** An S3-compatible bucket for uploaded files (`TRELLIS_S3_*`); when set, `filesDir` is unused. */
  s3?: S3Settings
  /** Size and type limits of every upload (fields may narrow them). */
  uploads: UploadLimits
}

/** Reads the configuration variables the README documents. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.TRELLIS_DATA_DIR ?? './data'),
    pgliteLean: toFlag('TRELLIS_PGLITE_LEAN', env.TRELLIS_PGLITE_LEAN, true),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.TRELLIS_REDIS_PREFIX || 'trellis',
    apiRunsJobs: env.TRELLIS_API_JOBS !== 'false',
    jobConcurrency: Math.max(1, Math.trunc(Number(env.TRELLIS_JOB_CONCURRENCY ?? 8)) || 8),
    logLevel: env.LOG_LEVEL ?? 'info',
    demo: env.TRELLIS_DEMO !== 'false',
    demoScale: Number(env.TRELLIS_DEMO_SCALE ?? 1),
    trustedProxies: Math.max(0, Math.trunc(Number(env.TRELLIS_TRUSTED_PROXIES ?? 0)) || 0),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Trellis <no-reply@localhost>',
    smsGatewayUrl: env.SMS_GATEWAY_URL || undefined,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN || undefined,
    timeZone: toTimeZone(env.TRELLIS_TIME_ZONE),
    locale: toLocale(env.TRELLIS_LOCALE),
    chromiumPath: toChromiumPath(env.TRELLIS_CHROMIUM),
    filesDir: resolve(env.TRELLIS_FILES_DIR ?? join(env.TRELLIS_DATA_DIR ?? './data', 'files')),
    s3: toS3Settings(env),
    uploads: {
      maxBytes: toByteCount(env.TRELLIS_UPLOAD_MAX_BYTES),
      types: toTypeList(env.TRELLIS_UPLOAD_TYPES),
    },
  }
}

/** A `true` / `false` variable, `fallback` when unset. */
function toFlag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (!value) return fallback
  if (value === 'true' || value === 'false') return value === 'true'
  throw new Error(`${name} must be true or false: ${value}`)
}

const S3_VARIABLES = [
  'ENDPOINT',
  'REGION',
  'ACCESS_KEY_ID',
  'SECRET_ACCESS_KEY',
  'PREFIX',
  'PATH_STYLE',
]

/**
 * `TRELLIS_S3_BUCKET` and its companions: an S3-compatible bucket for uploaded files, or
 * undefined (files on local disk). Refuses half a setting: a variable without the bucket, a
 * bucket without both keys, an endpoint that is not an http(s) URL, a malformed name or prefix.
 */
function toS3Settings(env: NodeJS.ProcessEnv): S3Settings | undefined {
  const bucket = env.TRELLIS_S3_BUCKET
  if (!bucket) {
    const stray = S3_VARIABLES.find((name) => env[`TRELLIS_S3_${name}`])
    if (stray) throw new Error(`TRELLIS_S3_${stray} is set but TRELLIS_S3_BUCKET is not`)
    return undefined
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new Error(`TRELLIS_S3_BUCKET must be an S3 bucket name (a-z, 0-9, '.', '-'): ${bucket}`)
  const accessKeyId = env.TRELLIS_S3_ACCESS_KEY_ID
  const secretAccessKey = env.TRELLIS_S3_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey)
    throw new Error(
      'TRELLIS_S3_BUCKET needs TRELLIS_S3_ACCESS_KEY_ID and TRELLIS_S3_SECRET_ACCESS_KEY',
    )
  const endpoint = env.TRELLIS_S3_ENDPOINT || undefined
  if (endpoint && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(endpoint))
    throw new Error(`TRELLIS_S3_ENDPOINT must be an http:// or https:// URL: ${endpoint}`)
  const prefix = env.TRELLIS_S3_PREFIX ?? ''
  const segments = prefix.replace(/\/$/, '').split('/')
  if (prefix && !segments.every((part) => /^[A-Za-z0-9._-]+$/.test(part) && !/^\.+$/.test(part)))
    throw new Error(
      `TRELLIS_S3_PREFIX may hold letters, digits, '.', '_', '-' and inner '/' (no '..'): ${prefix}`,
    )
  return {
    endpoint,
    bucket,
    region: env.TRELLIS_S3_REGION || 'us-east-1',
    accessKeyId,
    secretAccessKey,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    // MinIO, Ceph and R2 want the bucket in the path; AWS in the host name.
    pathStyle: toFlag('TRELLIS_S3_PATH_STYLE', env.TRELLIS_S3_PATH_STYLE, endpoint !== undefined),
  }
}

/** `TRELLIS_UPLOAD_MAX_BYTES`: a positive whole number of bytes, 25 MB when unset. */
function toByteCount(value: string | undefined): number {
  if (!value) return DEFAULT_UPLOAD_LIMITS.maxBytes
  const bytes = Number(value)
  if (Number.isSafeInteger(bytes) && bytes > 0) return bytes
  throw new Error(`TRELLIS_UPLOAD_MAX_BYTES must be a positive number of bytes: ${value}`)
}

/** `TRELLIS_UPLOAD_TYPES`: comma-separated MIME types (`image/*` for a family). */
function toTypeList(value: string | undefined): readonly string[] {
  if (!value) return DEFAULT_UPLOAD_LIMITS.types
  const types = value.split(',').map((t) => t.trim().toLowerCase())
  const bad = types.find((t) => !/^[a-z0-9][a-z0-9.+-]*\/([a-z0-9][a-z0-9.+-]*|\*)$/.test(t))
  if (bad !== undefined) throw new Error(`TRELLIS_UPLOAD_TYPES holds a malformed type: '${bad}'`)
  return types
}

/** `TRELLIS_LOCALE`: one of the languages Trellis speaks, English when unset. */
function toLocale(value: string | undefined): string {
  if (!value) return 'en'
  if ((LOCALES as readonly string[]).includes(value)) return value
  throw new Error(`TRELLIS_LOCALE must be one of ${LOCALES.join(', ')}: ${value}`)
}

/** `TRELLIS_TIME_ZONE` checked by Intl, else the zone this machine runs in. */
function toTimeZone(value: string | undefined): string {
  if (!value) return Intl.DateTimeFormat().resolvedOptions().timeZone
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
  } catch {
    throw new Error(`TRELLIS_TIME_ZONE must be an IANA time zone such as Asia/Shanghai: ${value}`)
  }
}

/** `TRELLIS_CHROMIUM`: a Chromium to print PDFs with, `off` for none; else Debian's, if installed. */
function toChromiumPath(value: string | undefined): string | undefined {
  if (value === 'off') return undefined
  if (value) {
    if (!existsSync(value)) throw new Error(`TRELLIS_CHROMIUM names no file: ${value}`)
    return value
  }
  return existsSync(DEFAULT_CHROMIUM_PATH) ? DEFAULT_CHROMIUM_PATH : undefined
}

import type { Context } from 'hono'
import { Hono } from 'hono'
import { BadRequestError } from '../../runtime/errors'
import {
  assertCanImport,
  getImportJob,
  importErrorFile,
  importWords,
  loadImportMapping,
  previewImport,
  startImport,
  type ImportInput,
  type ImportMapping,
} from '../../runtime/io'
import { requireEntity } from '../../runtime/registry'
import type { AppDeps, AppEnv } from '../app-deps'
import { contentDisposition } from '../http/content-disposition'
import { readQuery, requireParam, toJsonParam, toPositiveIntParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
import { requestCtx } from '../http/request-ctx'
import { toTextStream } from '../http/text-stream'
import { uploadToTemp } from '../http/upload-to-temp'

/** The paths whose POST streams a file under this limit instead of the 1 MB body limit. */
export const IMPORT_UPLOAD_PATHS = [`/api/import`, `/api/import/preview`] as const
/** Largest file an import takes. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024
const RUN_PARAMS = ['entity', 'mode', 'key', 'group', 'mapping', 'batch'] as const
const PREVIEW_PARAMS = [...RUN_PARAMS, 'limit'] as const
const POLL_MS = 300

/**
 * The import options of a request's query: mode, key, group, mapping (JSON), rows per batch;
 * a bad one is refused in `locale` (the caller's).
 */
function toImportInput(q: Record<string, string>, locale: string | undefined): ImportInput {
  const mode = q.mode as ImportInput['mode']
  if (mode !== undefined && mode !== 'insert' && mode !== 'upsert') {
    const w = importWords(locale).text
    throw new BadRequestError(w('unknownMode', { mode }), [
      { path: 'mode', message: w('unknownModeField') },
    ])
  }
  return {
    mode,
    key: q.key || undefined,
    group: q.group || undefined,
    mapping: toJsonParam('mapping', q.mapping, locale) as ImportMapping | undefined,
    batchSize: toPositiveIntParam('batch', q.batch, locale),
  }
}

/** The caller's context, entity and options of an upload request, the import right checked. */
async function importRequest(c: Context<AppEnv>, deps: AppDeps, params: readonly string[]) {
  const ctx = await requestCtx(c, deps)
  // Read once the caller is known: a bad option is refused in their language.
  const locale = ctx.user?.locale
  const q = readQuery(c, params, locale)
  const entity = requireParam(q, 'entity', locale)
  requireEntity(ctx.meta, entity, locale)
  assertCanImport(ctx, entity)
  return { q, ctx, entity, locale, input: toImportInput(q, locale) }
}

/**
 * Imports under /api/import: POST /preview and POST / take the file (multipart) with
 * `entity`, `mode`, `key`, `group` (the column that groups a record's lines) and `mapping` in the query; a run answers 202 with its job and goes
 * on; GET /jobs/:id, /jobs/:id/events (SSE progress), /jobs/:id/errors (the error file);
 * GET /mapping?entity= the caller's saved mapping.
 */
export function importRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/preview', async (c) => {
      const { q, ctx, entity, locale, input } = await importRequest(c, deps, PREVIEW_PARAMS)
      const limit = toPositiveIntParam('limit', q.limit, locale) ?? 20
      const preview = await uploadToTemp(c, MAX_IMPORT_BYTES, async (file) => ({
        answer: await previewImport(ctx, entity, file, input, Math.min(limit, 200)),
      }))
      return c.json(preview)
    })
    .post('/', async (c) => {
      const { ctx, entity, input } = await importRequest(c, deps, RUN_PARAMS)
      const job = await uploadToTemp(c, MAX_IMPORT_BYTES, async (file) => {
        const started = await startImport(ctx, entity, file, input)
        const keep = started.finished.catch((err: unknown) =>
          ctx.log.error({ err, job: started.job.id }, 'import run failed'),
        )
        return { answer: started.job, keep }
      })
      return c.json(job, 202)
    })
    .get('/mapping', async (c) => {
      const locale = requestLocale(c)
      const q = readQuery(c, ['entity'], locale)
      const ctx = await requestCtx(c, deps)
      const entity = requireParam(q, 'entity', locale)
      requireEntity(ctx.meta, entity, locale)
      return c.json({ mapping: await loadImportMapping(ctx, entity) })
    })
    .get('/jobs/:id', async (c) => {
      readQuery(c, [], requestLocale(c))
      return c.json(await getImportJob(await requestCtx(c, deps), c.req.param('id')))
    })
    .get('/jobs/:id/errors', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const job = await getImportJob(ctx, c.req.param('id'))
      const name = `${job.fileName.replace(/\.[^.]*$/, '')}-errors.csv`
      return c.body(toTextStream(importErrorFile(ctx, job.id)), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition('attachment', name),
        'cache-control': 'no-store',
      })
    })
    .get('/jobs/:id/events', async (c) => {
      readQuery(c, [], requestLocale(c))
      const ctx = await requestCtx(c, deps)
      const first = await getImportJob(ctx, c.req.param('id'))
      return c.body(
        progressStream(() => getImportJob(ctx, first.id)),
        200,
        {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
        },
      )
    })
}

/**
 * `event: progress` with the job as JSON whenever it moved (read from the database, so a run in
 * any process is followed), then `event: end` once it is done or failed.
 */
function progressStream(read: () => ReturnType<typeof getImportJob>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let last = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const tick = async () => {
        if (closed) return
        try {
          const job = await read()
          const data = JSON.stringify(job)
          if (data !== last)
            controller.enqueue(encoder.encode(`event: progress\ndata: ${data}\n\n`))
          last = data
          if (job.status !== 'running') {
            controller.enqueue(encoder.encode(`event: end\ndata: ${data}\n\n`))
            closed = true
            controller.close()
            return
          }
        } catch {
          closed = true
          controller.close()
          return
        }
        timer = setTimeout(() => void tick(), POLL_MS)
      }
      void tick()
    },
    cancel() {
      closed = true
      clearTimeout(timer)
    },
  })
}

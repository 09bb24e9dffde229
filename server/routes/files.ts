import { Hono } from 'hono'
import {
  DEFAULT_UPLOAD_LIMITS,
  DEFAULT_UPLOAD_TYPES,
  isPreviewable,
  openFile,
  requireStore,
  resolveUploadTarget,
  uploadFile,
  type OpenedFile,
} from '../../runtime/files'
import { UnsupportedMediaTypeError, ValidationError } from '../../runtime/errors'
import type { AppDeps, AppEnv } from '../app-deps'
import { contentDisposition } from '../http/content-disposition'
import { readMultipartFile } from '../http/multipart-file'
import { readQuery } from '../http/query-params'
import { requestCtx } from '../http/request-ctx'

/** Types a download is labelled with; anything else goes out as application/octet-stream. */
const LABELLED = new Set(DEFAULT_UPLOAD_TYPES)

/** A pull stream over the file's bytes: the next chunk is read when the client takes more. */
function toStream(bytes: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = bytes[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      await it.return?.()
    },
  })
}

/** Headers every file answer carries: never sniffed, never run, never cached by others. */
function fileHeaders(file: OpenedFile, kind: 'attachment' | 'inline', type: string) {
  return {
    'content-type': type,
    'content-length': String(file.size),
    'content-disposition': contentDisposition(kind, file.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-cache',
    etag: `"${file.sha256}"`,
  }
}

function required(q: Record<string, string>, name: string): string {
  if (!q[name])
    throw new ValidationError(`The ${name} parameter is required`, [
      { path: name, message: 'is required' },
    ])
  return q[name]
}

/**
 * Files: POST /?entity=&field= (multipart, one part named `file`, streamed to the store) →
 * 201 { id, name, type, size }; GET /:id downloads it; GET /:id/preview shows a raster image.
 */
export function fileRoutes(deps: AppDeps): Hono<AppEnv> {
  const limits = deps.uploads ?? DEFAULT_UPLOAD_LIMITS
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const q = readQuery(c, ['entity', 'field'])
      const ctx = await requestCtx(c, deps)
      const target = resolveUploadTarget(ctx, required(q, 'entity'), required(q, 'field'), limits)
      // A sound request, before its body is read: an app built without a file store answers 503.
      requireStore(ctx)
      const file = await readMultipartFile(c.req.raw, (part) => uploadFile(ctx, target, part))
      return c.json(file, 201)
    })
    .get('/:id', async (c) => {
      const file = await openFile(await requestCtx(c, deps), c.req.param('id'))
      const type = LABELLED.has(file.type) ? file.type : 'application/octet-stream'
      return c.body(toStream(file.bytes), 200, fileHeaders(file, 'attachment', type))
    })
    .get('/:id/preview', async (c) => {
      const file = await openFile(await requestCtx(c, deps), c.req.param('id'))
      if (!isPreviewable(file.type)) {
        await file.bytes[Symbol.asyncIterator]().return?.()
        throw new UnsupportedMediaTypeError('This file has no preview', [
          { path: 'id', message: `${file.type} files are downloaded, not shown` },
        ])
      }
      return c.body(toStream(file.bytes), 200, fileHeaders(file, 'inline', file.type))
    })
}

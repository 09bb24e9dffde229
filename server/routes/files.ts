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
import { UnsupportedMediaTypeError } from '../../runtime/errors'
import type { AppDeps, AppEnv } from '../app-deps'
import { contentDisposition } from '../http/content-disposition'
import { readMultipartFile, type MultipartFile } from '../http/multipart-file'
import { readQuery, requireParam } from '../http/query-params'
import { requestLocale } from '../http/request-locale'
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

/**
 * Files: POST /?entity=&field= (multipart, one part named `file`, streamed to the store) →
 * 201 { id, name, type, size }; GET /:id downloads it; GET /:id/preview shows a raster image.
 */
export function fileRoutes(deps: AppDeps): Hono<AppEnv> {
  const limits = deps.uploads ?? DEFAULT_UPLOAD_LIMITS
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const locale = requestLocale(c)
      const q = readQuery(c, ['entity', 'field'], locale)
      const ctx = await requestCtx(c, deps)
      const entity = requireParam(q, 'entity', locale)
      const target = resolveUploadTarget(ctx, entity, requireParam(q, 'field', locale), limits)
      // A sound request, before its body is read: an app built without a file store answers 503.
      requireStore(ctx)
      const upload = (part: MultipartFile) => uploadFile(ctx, target, part)
      const file = await readMultipartFile(c.req.raw, upload, locale)
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

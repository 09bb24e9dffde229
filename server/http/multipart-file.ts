import { Readable } from 'node:stream'
import type { ReadableStream as NodeWebStream } from 'node:stream/web'
import busboy from 'busboy'
import type { TextWords } from '../../metadata/text-words'
import { UnsupportedMediaTypeError, ValidationError } from '../../runtime/errors'
import { multipartWords } from './multipart-texts'

/** The one file of a multipart upload, its bytes read as they arrive. */
export interface MultipartFile {
  name: string | undefined
  type: string | undefined
  bytes: AsyncIterable<Uint8Array>
}

const noFile = (w: TextWords<'noFile' | 'noFileField'>) =>
  new ValidationError(w('noFile'), [{ path: 'file', message: w('noFileField') }])

/**
 * Hands the part named `file` of a multipart/form-data request to `handle` while the body still
 * streams in (nothing is buffered whole), and answers what `handle` answers. Parts after it
 * and other parts are read and dropped; a failing `handle` drains the rest of the body. A body
 * that is no multipart upload is refused in `locale` (the caller's; English when not given).
 * @example await readMultipartFile(c.req.raw, (file) => uploadFile(ctx, target, file), 'ko')
 */
export function readMultipartFile<T>(
  request: Request,
  handle: (file: MultipartFile) => Promise<T>,
  locale?: string,
): Promise<T> {
  const w = multipartWords(locale)
  const contentType = request.headers.get('content-type') ?? ''
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw new UnsupportedMediaTypeError(w('notMultipart'), [
      { path: 'body', message: w('notMultipartField') },
    ])
  if (!request.body) throw noFile(w)
  const body = request.body
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        // Browsers send file names as raw UTF-8 (报价单.pdf), not RFC 2231.
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 20, parts: 21, fieldSize: 4096 },
      })
    } catch {
      reject(
        new UnsupportedMediaTypeError(w('noBoundary'), [
          { path: 'body', message: w('noBoundaryField') },
        ]),
      )
      return
    }
    let result: Promise<T> | null = null
    const source = Readable.fromWeb(body as NodeWebStream<Uint8Array>)
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || result) {
        stream.resume()
        return
      }
      result = handle({ name: info.filename, type: info.mimeType, bytes: stream })
      // Refused part-way (too large, wrong type): answer now and read the rest of the body away.
      result.catch((err: unknown) => {
        reject(err)
        source.unpipe(parser)
        source.resume()
      })
    })
    parser.on('error', () =>
      reject(new ValidationError(w('malformed'), [{ path: 'body', message: w('malformedField') }])),
    )
    parser.on('close', () => (result ? result.then(resolve, reject) : reject(noFile(w))))
    source.on('error', (err) => parser.destroy(err))
    source.pipe(parser)
  })
}

import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import type { Context } from 'hono'
import { PayloadTooLargeError } from '../../runtime/errors'
import type { ImportFile } from '../../runtime/io'
import type { AppEnv } from '../app-deps'
import { toByteSize } from './byte-size'
import { readMultipartFile, type MultipartFile } from './multipart-file'
import { multipartWords } from './multipart-texts'
import { requestLocale } from './request-locale'

/**
 * The uploaded file (multipart, part `file`) written to a temporary folder as it streams in,
 * never above `maxBytes` (413 naming `file` and the limit); `use` gets it, and the folder goes
 * when `use` settles (`keep`: when the promise it answers settles, for a run that goes on after
 * the answer). Refusals read in the caller's language.
 * @example const preview = await uploadToTemp(c, MAX, async (file) => ({ answer: await read(file) }))
 */
export async function uploadToTemp<T>(
  c: Context<AppEnv>,
  maxBytes: number,
  use: (file: ImportFile) => Promise<{ answer: T; keep?: Promise<unknown> }>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-import-'))
  let keep: Promise<unknown> | undefined
  const locale = requestLocale(c)
  try {
    const read = async (part: MultipartFile): Promise<ImportFile> => {
      const name = (part.name ?? 'upload.csv').replace(/[\\/]/g, '_')
      const path = join(dir, 'upload')
      const out = createWriteStream(path)
      let size = 0
      for await (const chunk of part.bytes) {
        size += chunk.length
        if (size > maxBytes) {
          out.destroy()
          const w = multipartWords(locale)
          const limit = toByteSize(maxBytes)
          throw new PayloadTooLargeError(w('tooLarge', { limit }), [
            { path: 'file', message: w('tooLargeField', { limit }) },
          ])
        }
        if (!out.write(chunk)) await once(out, 'drain')
      }
      out.end()
      await once(out, 'finish')
      return { path, name }
    }
    const file = await readMultipartFile(c.req.raw, read, locale)
    const used = await use(file)
    keep = used.keep
    return used.answer
  } finally {
    const remove = () => rm(dir, { recursive: true, force: true })
    if (keep) void keep.finally(remove)
    else await remove()
  }
}

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
import { readMultipartFile } from './multipart-file'

/**
 * The uploaded file (multipart, part `file`) written to a temporary folder as it streams in,
 * never above `maxBytes` (413 naming `file` and the limit); `use` gets it, and the folder goes
 * when `use` settles (`keep`: when the promise it answers settles, for a run that goes on after
 * the answer).
 * @example const preview = await uploadToTemp(c, MAX, async (file) => ({ answer: await read(file) }))
 */
export async function uploadToTemp<T>(
  c: Context<AppEnv>,
  maxBytes: number,
  use: (file: ImportFile) => Promise<{ answer: T; keep?: Promise<unknown> }>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-import-'))
  let keep: Promise<unknown> | undefined
  try {
    const file = await readMultipartFile(c.req.raw, async (part) => {
      const name = (part.name ?? 'upload.csv').replace(/[\\/]/g, '_')
      const path = join(dir, 'upload')
      const out = createWriteStream(path)
      let size = 0
      for await (const chunk of part.bytes) {
        size += chunk.length
        if (size > maxBytes) {
          out.destroy()
          const limit = toByteSize(maxBytes)
          throw new PayloadTooLargeError(`The file is larger than the limit of ${limit}`, [
            { path: 'file', message: `is larger than ${limit}` },
          ])
        }
        if (!out.write(chunk)) await once(out, 'drain')
      }
      out.end()
      await once(out, 'finish')
      return { path, name }
    })
    const used = await use(file)
    keep = used.keep
    return used.answer
  } finally {
    const remove = () => rm(dir, { recursive: true, force: true })
    if (keep) void keep.finally(remove)
    else await remove()
  }
}

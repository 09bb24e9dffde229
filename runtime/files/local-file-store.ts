import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { assertStorageKey, newStorageKey, type FileStore } from './file-store'

/**
 * Files on local disk under `root` (the data folder's `files/`): `ab/abcdef…`, written to a
 * temporary name and renamed, so a reader never sees half a file.
 * @example const store = createLocalFileStore(join(config.dataDir, 'files'))
 */
export function createLocalFileStore(root: string): FileStore {
  const pathOf = (key: string) => {
    assertStorageKey(key)
    return join(root, key.slice(0, 2), key)
  }
  return {
    async put(key, bytes) {
      const path = pathOf(key)
      await mkdir(join(root, key.slice(0, 2)), { recursive: true })
      const partial = join(root, key.slice(0, 2), `.${key}.${newStorageKey()}.part`)
      try {
        await pipeline(Readable.from(bytes), createWriteStream(partial, { flags: 'wx' }))
        await rename(partial, path)
      } catch (err) {
        await rm(partial, { force: true })
        throw err
      }
    },
    async get(key) {
      const path = pathOf(key)
      const found = await stat(path).catch(() => null)
      if (!found?.isFile()) return null
      // Opened on the first read: an answer that never sends the bytes holds no descriptor.
      return (async function* () {
        yield* createReadStream(path)
      })()
    },
    async delete(key) {
      await rm(pathOf(key), { force: true })
    },
  }
}

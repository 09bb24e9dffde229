import { assertStorageKey, type FileStore } from './file-store'

/** Files kept in process memory: for tests and throw-away instances, never for production. */
export function createMemoryFileStore(): FileStore {
  const files = new Map<string, Uint8Array>()
  return {
    async put(key, bytes) {
      assertStorageKey(key)
      const chunks: Uint8Array[] = []
      for await (const chunk of bytes) chunks.push(chunk)
      files.set(key, Buffer.concat(chunks))
    },
    async get(key) {
      assertStorageKey(key)
      const found = files.get(key)
      if (!found) return null
      return (async function* () {
        yield found
      })()
    },
    async delete(key) {
      assertStorageKey(key)
      files.delete(key)
    },
  }
}

import { describe, expect, it } from 'vitest'
import { newStorageKey, type FileStore } from './file-store'

/** Collects a store's bytes into one buffer. */
export async function readAll(bytes: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const chunk of bytes) chunks.push(chunk)
  return Buffer.concat(chunks)
}

async function* chunksOf(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part
}

async function* failingAfter(first: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(first)
  throw new Error('the client went away')
}

/**
 * Registers the behaviour every `FileStore` must show, so one suite runs against each
 * implementation (house style: one shared suite per port).
 * @example describeFileStoreConformance('memory', () => createMemoryFileStore())
 */
export function describeFileStoreConformance(label: string, make: () => FileStore): void {
  describe(`the ${label} file store`, () => {
    it('gives back the bytes put under a key, chunk boundaries aside', async () => {
      const store = make()
      const key = newStorageKey()
      const binary = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251)
      await store.put(key, chunksOf('head-', binary, '-tail'))
      const back = await readAll((await store.get(key))!)
      expect(back.subarray(0, 5).toString()).toBe('head-')
      expect(back.subarray(5, 70_005).equals(Buffer.from(binary))).toBe(true)
      expect(back.length).toBe(70_010)
    })

    it('answers null for a key never written and for a deleted one', async () => {
      const store = make()
      const key = newStorageKey()
      expect(await store.get(key)).toBeNull()
      await store.put(key, chunksOf('x'))
      await store.delete(key)
      expect(await store.get(key)).toBeNull()
      await store.delete(key)
    })

    it('keeps nothing under a key whose bytes failed half-way', async () => {
      const store = make()
      const key = newStorageKey()
      await expect(store.put(key, failingAfter('half'))).rejects.toThrow('went away')
      expect(await store.get(key)).toBeNull()
    })

    it('refuses keys it did not make: paths, NUL, absolute and unicode names', async () => {
      const store = make()
      const attacks = ['../../etc/passwd', '..', '/etc/passwd', 'a\u0000b', '客户合同.pdf', '']
      for (const key of attacks) {
        await expect(store.put(key, chunksOf('x'))).rejects.toThrow('not a storage key')
        await expect(store.get(key)).rejects.toThrow('not a storage key')
        await expect(store.delete(key)).rejects.toThrow('not a storage key')
      }
    })
  })
}

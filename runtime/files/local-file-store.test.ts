import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeFileStoreConformance } from './file-store-conformance'
import { newStorageKey } from './file-store'
import { createLocalFileStore } from './local-file-store'

const root = () => mkdtempSync(join(tmpdir(), 'trellis-files-'))

describeFileStoreConformance('local disk', () => createLocalFileStore(root()))

describe('the local disk file store', () => {
  it('writes only below its folder, two hex digits deep, with no partial file left', async () => {
    const dir = root()
    const store = createLocalFileStore(dir)
    const key = newStorageKey()
    await store.put(
      key,
      (async function* () {
        yield Buffer.from('bytes')
      })(),
    )
    expect(readdirSync(dir)).toEqual([key.slice(0, 2)])
    expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([key])
  })
})

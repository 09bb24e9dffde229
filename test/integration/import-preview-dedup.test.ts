import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../runtime/io'
import { testTargets } from '../support/databases'
import { openImportFixture, type ImportFixture } from './import-fixture'

describe.each(testTargets())('an import preview’s duplicates on $name', (target) => {
  let f: ImportFixture

  beforeAll(async () => {
    f = await openImportFixture(target)
  })
  afterAll(async () => f?.close())

  it('names a row that repeats a stored record or an earlier row, as the run then refuses them', async () => {
    const clerk = await f.ctxOf('clerk')
    await runImport(clerk, 'customer', f.file('first.csv', 'Customer name\nStored Dup Co\n'), {})
    const text = 'Customer name\nFresh Dup Co\nstored  dup co\nFRESH DUP CO\nOther Co\n'
    const preview = await previewImport(clerk, 'customer', f.file('dups.csv', text), {})
    expect(preview.failedRows).toBe(2)
    expect(preview.errors.map((r) => [r.number, r.issues])).toEqual([
      [2, [{ path: 'name', message: "Duplicate of 'Stored Dup Co'" }]],
      [3, [{ path: 'name', message: 'Duplicate of row 1' }]],
    ])
    expect(await f.count('%Dup Co')).toBe(1)

    const job = await runImport(clerk, 'customer', f.file('dups.csv', text), {})
    expect(job).toMatchObject({ inserted: 2, failed: 2 })
    // Upserting by the name rule, a repeated name updates: nothing to refuse.
    const upsert = await previewImport(clerk, 'customer', f.file('up.csv', text), { key: 'name' })
    expect(upsert.failedRows).toBe(0)
  })
})

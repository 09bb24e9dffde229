import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs module without types
import { isStale, newestMtime } from './freshness.mjs'

describe('build freshness', () => {
  it('sees a change deep inside a source folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fresh-'))
    mkdirSync(join(dir, 'src/a/b'), { recursive: true })
    writeFileSync(join(dir, 'src/top.ts'), '')
    writeFileSync(join(dir, 'artifact'), '')
    writeFileSync(join(dir, 'src/a/b/deep.ts'), '')
    utimesSync(join(dir, 'src/top.ts'), 1000, 1000)
    utimesSync(join(dir, 'artifact'), 2000, 2000)
    utimesSync(join(dir, 'src/a/b/deep.ts'), 3000, 3000)
    expect(newestMtime([join(dir, 'src')])).toBe(3_000_000)
    expect(isStale(join(dir, 'artifact'), [join(dir, 'src')])).toBe(true)
    utimesSync(join(dir, 'artifact'), 4000, 4000)
    expect(isStale(join(dir, 'artifact'), [join(dir, 'src')])).toBe(false)
    expect(isStale(join(dir, 'missing'), [join(dir, 'src')])).toBe(true)
  })
})

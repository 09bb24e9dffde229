import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { moduleSpecifiers, nodeBuiltinsIn } from './support/module-specifiers'

const root = resolve(import.meta.dirname, '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter(
      (e) =>
        e.isFile() &&
        /\.(ts|svelte|js)$/.test(e.name) &&
        !e.parentPath.includes('node_modules') &&
        !e.parentPath.includes('.svelte-kit') &&
        !e.parentPath.includes('/build'),
    )
    .map((e) => join(e.parentPath, e.name))
}

/** Every project file or folder a file imports, relative to the root, without extension. */
function importedPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (m) => m[1],
  )
  return specs.map((s) => relative(root, resolve(file, '..', s)).replace(/\.(ts|js)$/, ''))
}

/** Database drivers and their drizzle adapters: I/O by another name. */
const DRIVERS =
  /^((postgres|pg|ioredis|bullmq)(\/|$)|@electric-sql\/|drizzle-orm\/(pglite|postgres-js|node-postgres))/

/** The top two levels of each import (`runtime/db`). */
function importedFolders(file: string): string[] {
  return importedPaths(file).map((p) => p.split('/').slice(0, 2).join('/'))
}

describe('dependencies flow one way: metadata → runtime → server', () => {
  it('keeps metadata free of runtime, server and I/O', () => {
    for (const file of sourceFiles('metadata')) {
      const folders = importedFolders(file)
      expect(
        folders.filter((f) => /^(runtime|server|designer|seeds|bin)/.test(f)),
        file,
      ).toEqual([])
      // Tests may read the schema files; the language itself touches no file, process or network.
      if (file.endsWith('.test.ts')) continue
      const text = readFileSync(file, 'utf8')
      expect(nodeBuiltinsIn(text), file).toEqual([])
      expect(
        moduleSpecifiers(text).filter((s) => DRIVERS.test(s)),
        file,
      ).toEqual([])
    }
  })

  it('recognises every way of reaching node in a source', () => {
    const sample = [
      "import { readFileSync } from 'node:fs'",
      'import fs from "fs"',
      "import { join } from 'path'",
      "import { readFile } from 'fs/promises'",
      "export * from 'os'",
      "const cp = await import('node:child_process')",
      "const { createHash } = require('crypto')",
      "import 'node:process'",
      "import Ajv from 'ajv'",
      "import { x } from './path'",
    ].join('\n')
    expect(nodeBuiltinsIn(sample)).toEqual([
      'node:fs',
      'fs',
      'path',
      'fs/promises',
      'os',
      'node:child_process',
      'crypto',
      'node:process',
    ])
  })

  it('keeps runtime free of server and designer', () => {
    for (const file of sourceFiles('runtime')) {
      expect(
        importedFolders(file).filter((f) => /^(server|designer|seeds)/.test(f)),
        file,
      ).toEqual([])
    }
  })

  it('keeps the pure runtime parts the browser loads free of database and node code', () => {
    for (const dir of ['runtime/rules', 'runtime/forms']) {
      for (const file of sourceFiles(dir).filter((f) => !f.endsWith('.test.ts'))) {
        const text = readFileSync(file, 'utf8')
        // drizzle-orm's sql template is plain JS (filters compile with it); drivers and node are not.
        expect(nodeBuiltinsIn(text), file).toEqual([])
        expect(
          moduleSpecifiers(text).filter((s) => DRIVERS.test(s)),
          file,
        ).toEqual([])
        const imports = importedPaths(file).filter((f) => f !== 'runtime/schema/naming')
        expect(
          imports.filter((f) => /^runtime\/(db|records|schema|registry|identity)/.test(f)),
          file,
        ).toEqual([])
      }
    }
  })
})

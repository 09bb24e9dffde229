import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(new URL('../../', import.meta.url).pathname)
const ALIASES: Record<string, string> = {
  $metadata: 'metadata',
  '$runtime/forms': 'runtime/forms',
  '$runtime/rules': 'runtime/rules',
  $lib: 'designer/src/lib',
}
const FORBIDDEN = ['runtime/db', 'runtime/records', 'server']
// Value imports only: `import type` is erased and never reaches the browser.
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|js|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [path] : []
  })
}

function resolveImport(from: string, spec: string): string | null {
  const alias = Object.keys(ALIASES).find((a) => spec === a || spec.startsWith(`${a}/`))
  const base = alias
    ? join(ROOT, ALIASES[alias], spec.slice(alias.length))
    : spec.startsWith('.')
      ? resolve(dirname(from), spec)
      : null
  if (!base) return null
  const candidates = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null
}

/** Every project file the designer's browser code reaches through value imports. */
function reachableFrom(entries: string[]): { files: Set<string>; builtins: string[] } {
  const files = new Set<string>()
  const builtins: string[] = []
  const queue = [...entries]
  while (queue.length) {
    const file = queue.pop() as string
    if (files.has(file)) continue
    files.add(file)
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1]
      if (spec.startsWith('node:')) builtins.push(`${relative(ROOT, file)} → ${spec}`)
      const target = resolveImport(file, spec)
      if (target) queue.push(target)
    }
  }
  return { files, builtins }
}

describe('the designer import boundary', () => {
  const entries = sourceFiles(join(ROOT, 'designer/src')).filter((f) => !f.includes('/lib/server/'))
  const { files, builtins } = reachableFrom(entries)
  const reached = [...files].map((f) => relative(ROOT, f))

  it('finds the designer sources and the pure runtime they use', () => {
    expect(entries.length).toBeGreaterThan(10)
    expect(reached).toContain('runtime/forms/evaluate-form.ts')
  })

  it('never reaches the database, record or server code from browser code', () => {
    const leaks = reached.filter((f) => FORBIDDEN.some((dir) => f.startsWith(`${dir}/`)))
    expect(leaks).toEqual([])
  })

  it('never imports Node built-ins into browser code', () => {
    expect(builtins).toEqual([])
  })
})

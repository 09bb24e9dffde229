import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { moduleSpecifiers, packageOf } from './support/module-specifiers'

const root = resolve(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const dependencies = new Set(Object.keys(pkg.dependencies))

/** Source files under `dirs` (no node_modules or build output); tests only when asked. */
function sources(dirs: string[], withTests: boolean): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter(
        (e) =>
          e.isFile() &&
          /\.(ts|mjs|js|svelte)$/.test(e.name) &&
          !/node_modules|\.svelte-kit|\/build|\.results/.test(e.parentPath) &&
          (withTests || !/\.test\.ts$/.test(e.name)),
      )
      .map((e) => join(e.parentPath, e.name)),
  )
}

/** The packages the given files import. */
function packagesOf(files: string[]): Set<string> {
  const names = files.flatMap((f) => moduleSpecifiers(readFileSync(f, 'utf8')).map(packageOf))
  return new Set(names.filter((n): n is string => n !== null))
}

/** What `npm start` and the install-time build load: the server bundle's packages and the tools. */
async function runtimePackages(): Promise<Set<string>> {
  const bundle = await build({
    absWorkingDir: root,
    entryPoints: ['server/cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const external = Object.values(bundle.metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.external).map((i) => packageOf(i.path)),
  )
  const startAndBuild = [
    ...['trellis.mjs', 'prepare.mjs', 'build-server.mjs', 'freshness.mjs'].map((f) =>
      join(root, 'bin', f),
    ),
    join(root, 'designer/vite.config.ts'),
    join(root, 'designer/svelte.config.js'),
    ...sources(['designer/src'], false),
  ]
  return new Set([...external.filter((n): n is string => n !== null), ...packagesOf(startAndBuild)])
}

describe('package.json', () => {
  it('lists in dependencies every package the start and the install-time build load', async () => {
    const used = await runtimePackages()
    expect(used.has('hono') && used.has('vite'), 'the scan sees the server and the build').toBe(
      true,
    )
    // `npm install --omit=dev && npm start` has only these.
    expect([...used].filter((name) => !dependencies.has(name)).sort()).toEqual([])
  })

  it('builds at install time, where a newcomer expects to wait, and checks again at start', () => {
    // npm runs the root package's own `prepare` on `npm install`, with or without --omit=dev.
    expect(pkg.scripts.prepare).toBe('node bin/prepare.mjs')
    expect(pkg.scripts.prestart).toBe('node bin/prepare.mjs')
    const prepare = readFileSync(join(root, 'bin/prepare.mjs'), 'utf8')
    expect(prepare).toContain("'designer/build/index.html'")
    expect(prepare).toContain("'dist/trellis.mjs'")
    expect(prepare, 'vite from the package, never fetched by npx').not.toMatch(/['"]npx['"]/)
  })

  it('declares no dependency that nothing uses', async () => {
    const used = await runtimePackages()
    const unused = [...dependencies].filter((name) => !used.has(name))
    expect(unused, 'dependencies nothing on the runtime path imports').toEqual([])
  })

  it('declares no development dependency that nothing uses', () => {
    const imported = packagesOf([
      ...sources(['test', 'bench', 'server', 'runtime', 'metadata', 'seeds', 'bin'], true),
      ...sources(['designer/src'], true),
      ...['drizzle.config.ts', 'vitest.config.ts'].map((f) => join(root, f)),
    ])
    const scripts = Object.values(pkg.scripts).join(' ')
    const prettier = readFileSync(join(root, '.prettierrc.json'), 'utf8')
    const commands: Record<string, string> = { typescript: 'tsc', 'svelte-check': 'svelte-check' }
    const isUsed = (name: string) =>
      imported.has(name) ||
      scripts.includes(commands[name] ?? name) ||
      prettier.includes(`"${name}"`) ||
      (name.startsWith('@types/') && (imported.has(name.slice(7)) || name === '@types/node'))
    expect(Object.keys(pkg.devDependencies).filter((name) => !isUsed(name))).toEqual([])
  })
})

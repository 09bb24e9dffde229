import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureDesignerBuild } from './support/designer-build'

/*
 * Target 10: the designer and workspace first load stays ≤ 250 KB of JavaScript, gzipped. A
 * page's first load is what the browser fetches before it can run: SvelteKit's start and app
 * entries, the root layout, the page's layouts and its own node, with every chunk they import
 * statically. Chunks behind `import()` (the chart library) load later, only where needed.
 */

const DESIGNER = new URL('../../designer/', import.meta.url).pathname
const LIMIT_BYTES = 250 * 1024

interface Chunk {
  file: string
  isEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

type Manifest = Record<string, Chunk>

function readBuild() {
  const manifest = JSON.parse(
    readFileSync(join(DESIGNER, '.svelte-kit/output/client/.vite/manifest.json'), 'utf8'),
  ) as Manifest
  const app = readFileSync(join(DESIGNER, '.svelte-kit/generated/client-optimized/app.js'), 'utf8')
  // "/r/[report]": [16], "/admin/jobs": [4,[2]] → the page node and its layout nodes.
  const routes = new Map<string, number[]>()
  for (const [, route, nodes] of app.matchAll(/"([^"]+)": \[([\d,[\]]+)\]/g))
    routes.set(route, [0, ...nodes.replace(/[[\]]/g, '').split(',').map(Number)])
  return { manifest, routes }
}

function staticClosure(manifest: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>()
  const stack = [...keys]
  while (stack.length) {
    const key = stack.pop()!
    if (seen.has(key)) continue
    seen.add(key)
    stack.push(...(manifest[key].imports ?? []))
  }
  return seen
}

const gzipped = (file: string) =>
  gzipSync(readFileSync(join(DESIGNER, '.svelte-kit/output/client', file))).length

describe('the workspace first load (target 10)', () => {
  let build: ReturnType<typeof readBuild>
  const entries = () => Object.keys(build.manifest).filter((k) => /entry\.js$|app\.js$/.test(k))
  const nodeKey = (n: number) => `.svelte-kit/generated/client-optimized/nodes/${n}.js`
  const firstLoad = (route: string) =>
    staticClosure(build.manifest, [...entries(), ...build.routes.get(route)!.map(nodeKey)])

  beforeAll(() => {
    ensureDesignerBuild()
    build = readBuild()
  }, 300_000)

  it('stays within 250 KB of gzipped JavaScript on every page', () => {
    expect(build.routes.size).toBeGreaterThan(10)
    for (const route of build.routes.keys()) {
      const bytes = [...firstLoad(route)].reduce((n, k) => n + gzipped(build.manifest[k].file), 0)
      expect(bytes, route).toBeLessThanOrEqual(LIMIT_BYTES)
    }
  })

  it('loads the chart library only when a chart is drawn, never with a page', () => {
    // chart-setup.ts is the one door to chart.js: the library is bundled into its chunk.
    const charts = Object.keys(build.manifest).filter((k) => k.endsWith('report/chart-setup.ts'))
    expect(charts).toHaveLength(1)
    expect(gzipped(build.manifest[charts[0]].file)).toBeGreaterThan(30 * 1024)
    for (const route of ['/', '/r/[report]', '/e/[entity]'])
      for (const key of charts) expect(firstLoad(route).has(key), `${route} ${key}`).toBe(false)
  })
})

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = new URL('../../../', import.meta.url).pathname
const BUILT = join(ROOT, 'designer/build/index.html')
const SOURCES = ['designer/src', 'runtime/forms', 'runtime/rules', 'metadata'].map((d) =>
  join(ROOT, d),
)

function newestMtime(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return latest
}

/** Builds designer/build when it is missing or older than the code it is built from. */
export function ensureDesignerBuild(): void {
  const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0
  const stale = SOURCES.filter(existsSync).some((dir) => newestMtime(dir) > builtAt)
  if (!stale) return
  const result = spawnSync('npx', ['vite', 'build', 'designer', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`vite build designer failed:\n${result.stdout}\n${result.stderr}`)
  }
}

import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../../../', import.meta.url).pathname
const BUILT = join(ROOT, 'designer/build/index.html')
const SOURCES = ['designer/src', 'runtime/forms', 'runtime/rules', 'metadata'].map((d) =>
  join(ROOT, d),
)
// One lock per checkout, outside it: browser files (two at a time) and other runs on the same
// checkout must not build into designer/build at once.
const LOCK = join(
  tmpdir(),
  `trellis-designer-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`,
)
const LOCK_STALE_MS = 5 * 60_000

function newestMtime(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return latest
}

function isStale(): boolean {
  const builtAt = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0
  return SOURCES.filter(existsSync).some((dir) => newestMtime(dir) > builtAt)
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/** Runs `work` holding the checkout's build lock (a directory: mkdir is atomic). */
function withBuildLock(work: () => void): void {
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      // A holder that died long ago leaves its lock behind: take it over.
      let since = 0
      try {
        since = Date.now() - statSync(LOCK).mtimeMs
      } catch {
        continue // released meanwhile
      }
      if (since > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true })
      else pause(250)
    }
  }
  try {
    work()
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

/**
 * Builds designer/build when it is missing or older than the code it is built from; one caller
 * builds while the others wait for its build.
 */
export function ensureDesignerBuild(): void {
  if (!isStale()) return
  withBuildLock(() => {
    if (!isStale()) return
    const result = spawnSync('npx', ['vite', 'build', 'designer', '--logLevel', 'warn'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    if (result.status !== 0) {
      throw new Error(`vite build designer failed:\n${result.stdout}\n${result.stderr}`)
    }
  })
}

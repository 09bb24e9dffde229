#!/usr/bin/env node
// Builds the workspace (designer/build) and the server bundle (dist/trellis.mjs) when their
// sources changed. It runs on `npm install` (the `prepare` script), where a newcomer expects to
// wait, so the first `npm start` only starts; `npm start` runs it again and rebuilds only what an
// edit made stale. The build tools are dependencies, so `npm install --omit=dev` builds too.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildServer } from './build-server.mjs'
import { isStale } from './freshness.mjs'
import { patchPostgres } from './patch-postgres.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const at = (...p) => p.map((x) => join(root, x))
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Runs vite (resolved from this package, never fetched by npx) with a line every 10 s. */
function buildWorkspace() {
  const vite = join(
    dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin/vite.js',
  )
  const started = Date.now()
  const beat = setInterval(
    () => console.log(`      … still building (${seconds(started)})`),
    10_000,
  )
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', 'designer', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite exited with ${code}`)),
    )
  }).finally(() => clearInterval(beat))
}

// A defect of the PostgreSQL driver that would end the process when a backend dies (see there).
for (const { file, outcome } of patchPostgres(root))
  if (outcome !== 'already patched') console.log(`postgres.js ${outcome}: ${file}`)

const steps = []
if (
  isStale(
    join(root, 'designer/build/index.html'),
    at('designer/src', 'runtime/forms', 'runtime/rules', 'metadata'),
  )
) {
  steps.push(['the workspace (designer/build, about a minute)', buildWorkspace])
}
if (isStale(join(root, 'dist/trellis.mjs'), at('server', 'runtime', 'metadata', 'seeds'))) {
  steps.push(['the server bundle (dist/trellis.mjs)', buildServer])
}

const started = Date.now()
for (const [i, [name, run]] of steps.entries()) {
  console.log(`[${i + 1}/${steps.length}] Building ${name}…`)
  const step = Date.now()
  try {
    await run()
  } catch (err) {
    console.error(`Building ${name} failed: ${err instanceof Error ? err.message : err}`)
    process.exit(1)
  }
  console.log(`      done in ${seconds(step)}`)
}
if (steps.length) console.log(`Built in ${seconds(started)}.`)

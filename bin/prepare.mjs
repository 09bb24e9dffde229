#!/usr/bin/env node
// Runs before `npm start`: builds the workspace and the server bundle when their sources changed.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildServer } from './build-server.mjs'
import { isStale } from './freshness.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const at = (...p) => p.map((x) => join(root, x))

if (
  isStale(
    join(root, 'designer/build/index.html'),
    at('designer/src', 'runtime/forms', 'runtime/rules', 'metadata'),
  )
) {
  console.log('Building the workspace (designer/build)…')
  const result = spawnSync('npx', ['vite', 'build', 'designer', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
if (isStale(join(root, 'dist/trellis.mjs'), at('server', 'runtime', 'metadata', 'seeds'))) {
  console.log('Bundling the server (dist/trellis.mjs)…')
  await buildServer()
}

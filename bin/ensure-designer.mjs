#!/usr/bin/env node
// Runs before `npm start`: builds the workspace once, and again only when its sources changed.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const built = join(root, 'designer/build/index.html')

function newest(dir) {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

const sources = [join(root, 'designer/src'), join(root, 'runtime/forms'), join(root, 'runtime/rules')].filter(existsSync)
const stale = !existsSync(built) || sources.some((dir) => newest(dir) > statSync(built).mtimeMs)
if (stale) {
  console.log('Building the workspace (designer/build)…')
  const result = spawnSync('npx', ['vite', 'build', 'designer', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

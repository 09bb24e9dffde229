import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The newest modification time under the given folders (0 when none exist). */
export function newestMtime(dirs) {
  let latest = 0
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'build' || entry.name === '.svelte-kit')
        continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path)
      else latest = Math.max(latest, statSync(path).mtimeMs)
    }
  }
  for (const dir of dirs) if (existsSync(dir)) visit(dir)
  return latest
}

/** Whether `artifact` is missing or older than anything under `dirs`. */
export function isStale(artifact, dirs) {
  return !existsSync(artifact) || newestMtime(dirs) > statSync(artifact).mtimeMs
}

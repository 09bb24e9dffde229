import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { MetadataBundle } from '../../runtime/registry'

const FOLDER_KIND: Record<string, keyof MetadataBundle> = {
  roles: 'roles',
  entities: 'entities',
  forms: 'forms',
  views: 'views',
}

export interface ReadFile {
  path: string
  key: keyof MetadataBundle
  doc: unknown
}

/** Finds metadata files under the given paths: `manifest.json` and `entities|forms|views/*.json`. */
export function readMetadataFiles(paths: string[]): ReadFile[] {
  const files: ReadFile[] = []
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort())
        if (name !== 'node_modules' && name !== 'data') visit(join(path, name))
      return
    }
    const key =
      basename(path) === 'manifest.json' ? 'packages' : FOLDER_KIND[basename(dirname(path))]
    if (!key || !path.endsWith('.json')) return
    files.push({ path, key, doc: JSON.parse(readFileSync(path, 'utf8')) })
  }
  for (const p of paths) {
    const abs = resolve(p)
    if (!existsSync(abs)) throw new Error(`No such file or folder: ${p}`)
    visit(abs)
  }
  return files
}

/** Reads every metadata file under `dir` into one bundle (`$schema` lines dropped). */
export function readBundle(dir: string): MetadataBundle {
  const bundle: MetadataBundle = { packages: [], entities: [], forms: [], views: [], roles: [] }
  for (const file of readMetadataFiles([dir])) {
    const { $schema: _s, ...doc } = file.doc as Record<string, unknown>
    ;(bundle[file.key] as unknown[]).push(doc)
  }
  return bundle
}

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { SCHEMAS_DIR } from './schemas-dir'
import { openInstance } from './open-instance'
import { toPackageFiles } from './package-files'

/**
 * `trellis export <folder>`: writes the instance's published metadata (the truth of an instance)
 * as package folders, so `trellis plan --dir <folder>` right after shows no changes.
 */
export async function runExport(folder: string | undefined): Promise<number> {
  if (!folder) throw new Error('export needs a folder: trellis export <folder>')
  const out = resolve(folder)
  if (existsSync(out) && readdirSync(out).length)
    throw new Error(`${folder} is not empty: export writes into a new or empty folder`)
  const { ctx, db } = await openInstance()
  await db.close()
  const schemasFrom = (depth: number) => {
    const rel = relative(join(out, ...Array(depth).fill('x')), SCHEMAS_DIR).replaceAll('\\', '/')
    return rel.endsWith('/') ? rel : `${rel}/`
  }
  const files = toPackageFiles(ctx.meta.bundle, schemasFrom)
  for (const file of files) {
    const path = join(out, file.path)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, file.text)
  }
  const packages = new Set(files.map((f) => f.path.split('/')[0]))
  console.log(`Wrote ${files.length} file(s) in ${packages.size} package folder(s) to ${folder}.`)
  return 0
}

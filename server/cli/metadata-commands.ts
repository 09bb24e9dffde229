import { validateDefinition } from '../../metadata/validate'
import {
  installPackages,
  mergePackages,
  validateBundle,
  type DefinitionChange,
  type InstallResult,
  type MetadataBundle,
  type PackageContents,
} from '../../runtime/registry'
import type { SchemaPlan } from '../../runtime/schema'
import { loadSeedBundle } from '../../seeds/load-seed-packages'
import { openInstance } from './open-instance'
import { FOLDER_KIND, readPackages, readPaths, type ReadFile } from './read-bundle'
import { installOverHttp, type RemoteOptions } from './remote-install'

const kindOf = (file: ReadFile) => (file.kind === 'packages' ? 'package' : FOLDER_KIND[file.kind])

/** What the given files and packages are checked against: an instance's or the shipped ones. */
async function readBase(): Promise<{ bundle: MetadataBundle; name: string }> {
  if (!process.env.DATABASE_URL) return { bundle: loadSeedBundle(), name: 'the shipped modules' }
  const { ctx, db } = await openInstance()
  await db.close()
  return { bundle: ctx.meta.bundle, name: 'the installed packages (DATABASE_URL)' }
}

/** Lays loose definition files over a bundle, by id (a file of an existing id replaces it). */
function overlay(bundle: MetadataBundle, files: ReadFile[]): MetadataBundle {
  const out = { ...bundle, roles: bundle.roles ?? [] }
  for (const file of files) {
    const { $schema: _s, ...doc } = file.doc as { id: string; $schema?: string }
    const list = (out[file.kind] as { id: string }[]).filter((d) => d.id !== doc.id)
    ;(out[file.kind] as unknown[]) = [...list, doc]
  }
  return out
}

/**
 * `trellis validate [paths…]`: every file against its schema, then every reference, with the
 * given packages installed over the instance's (DATABASE_URL) or the shipped ones.
 */
export async function runValidate(paths: string[]): Promise<number> {
  const read = readPaths(paths.length ? paths : ['seeds'])
  const files = [...read.packages.flatMap((p) => p.files), ...read.loose]
  let problems = 0
  const report = (path: string, message: string) => {
    problems++
    console.log(`${path}: ${message}`)
  }
  for (const file of files)
    for (const issue of validateDefinition(kindOf(file), file.doc))
      report(file.path, `${issue.path || '(root)'}: ${issue.message}`)
  if (!problems) {
    const base = await readBase()
    console.log(`References are checked against ${base.name}.`)
    try {
      const merged = mergePackages(
        base.bundle,
        read.packages.map((p) => p.contents),
      )
      for (const issue of validateBundle(overlay(merged, read.loose)))
        report(issue.path, issue.message)
    } catch (err) {
      const details = (err as { details?: { path: string; message: string }[] }).details
      if (!details) throw err
      for (const d of details) report(d.path, d.message)
    }
  }
  console.log(
    problems
      ? `${problems} problem(s) in ${files.length} file(s)`
      : `${files.length} file(s) valid`,
  )
  return problems ? 1 : 0
}

/** Prints a plan as a readable diff. */
export function printPlan(plan: SchemaPlan): void {
  if (!plan.steps.length) console.log('No schema changes.')
  for (const step of plan.steps) {
    console.log(`${step.destructive ? '!' : '+'} ${step.kind.padEnd(16)} ${step.description}`)
    console.log(`    ${step.sql.replace(/\n/g, '\n    ')}`)
  }
  if (plan.destructive)
    console.log('\nSteps marked ! destroy data: apply them with --confirm-destructive.')
}

const MARK = { add: '+', change: '~', remove: '-' } as const

/** Prints which definitions a publish adds, changes or removes. */
export function printChanges(changes: DefinitionChange[]): void {
  if (!changes.length) return void console.log('No definition changes.')
  console.log('Definitions:')
  for (const c of changes) console.log(`${MARK[c.change]} ${c.kind.padEnd(8)} ${c.id}`)
}

/** Options of plan, apply and install. */
export interface InstallOptions extends Partial<RemoteOptions> {
  confirmDestructive?: boolean
  dryRun?: boolean
}

async function install(packages: PackageContents[], options: InstallOptions): Promise<number> {
  const results: InstallResult[] = []
  if (options.url) {
    for (const pkg of packages)
      results.push(await installOverHttp(pkg, { ...options, url: options.url }))
  } else {
    const { ctx, db } = await openInstance()
    try {
      results.push(await installPackages(ctx, packages, options))
    } finally {
      await db.close()
    }
  }
  for (const result of results) {
    for (const p of result.packages ?? [])
      console.log(`Package ${p.id}: ${p.from === null ? '' : `${p.from} → `}${p.to} (${p.step})`)
    printPlan(result.plan)
    printChanges(result.changes)
  }
  const last = results.at(-1)
  if (!options.dryRun && last) console.log(`Published metadata version ${last.version}.`)
  return 0
}

/**
 * `trellis plan --dir …`: what installing the packages in the folders would change; packages not
 * given stay as installed.
 */
export function runPlan(dirs: string[], options: InstallOptions = {}): Promise<number> {
  return install(readPackages(dirs.length ? dirs : ['seeds']), { ...options, dryRun: true })
}

/** `trellis apply --dir …`: installs the packages in the folders in one transaction. */
export function runApply(dirs: string[], options: InstallOptions = {}): Promise<number> {
  return install(readPackages(dirs.length ? dirs : ['seeds']), options)
}

/** `trellis install <folder…>`: adds or updates packages (plan printed, then applied). */
export function runInstall(folders: string[], options: InstallOptions = {}): Promise<number> {
  if (!folders.length) throw new Error('install needs a package folder: trellis install <folder>')
  return install(readPackages(folders), options)
}

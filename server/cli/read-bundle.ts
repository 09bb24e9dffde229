import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { PACKAGE_KIND_OF_FOLDER, type PackageManifest } from '../../metadata/package'
import {
  assignPackage,
  emptyDefinitions,
  type MetadataBundle,
  type PackageContents,
} from '../../runtime/registry'

/** The kind folders a package holds, and the kind their files are validated as. */
export const FOLDER_KIND = PACKAGE_KIND_OF_FOLDER
type KindFolder = keyof typeof FOLDER_KIND

/** Folders a package may hold that are not metadata (demo data, dependencies). */
const SKIPPED_FOLDERS = new Set(['data', 'node_modules'])

/** One metadata file as read: where it is, its kind, its parsed JSON (`$schema` kept). */
export interface ReadFile {
  path: string
  kind: KindFolder | 'packages'
  doc: unknown
}

/** Package folders and loose definition files found under the paths given on the command line. */
export interface ReadPaths {
  packages: { dir: string; files: ReadFile[]; contents: PackageContents }[]
  /** Files outside any package folder (a single file, a folder of kind folders): validate only. */
  loose: ReadFile[]
}

/** A problem with the layout of the folders: names the path, makes the command fail. */
export class LayoutError extends Error {}

const isHidden = (name: string) => name.startsWith('.')
const isKindFolder = (name: string): name is KindFolder => Object.hasOwn(FOLDER_KIND, name)

function readJson(path: string, kind: ReadFile['kind']): ReadFile {
  try {
    return { path, kind, doc: JSON.parse(readFileSync(path, 'utf8')) }
  } catch (err) {
    throw new LayoutError(`${path}: not valid JSON (${(err as Error).message})`)
  }
}

/** Test scenarios of a flow (`flows/<id>.scenarios.json`): beside the definitions, not one. */
export const isScenarioFile = (name: string) => name.endsWith('.scenarios.json')

function readKindFolder(dir: string, kind: KindFolder): ReadFile[] {
  return readdirSync(dir)
    .filter((name) => !isHidden(name) && !isScenarioFile(name))
    .sort()
    .map((name) => {
      const path = join(dir, name)
      if (!name.endsWith('.json') || statSync(path).isDirectory())
        throw new LayoutError(`${path}: a ${kind} folder holds only .json definitions`)
      return readJson(path, kind)
    })
}

/** The files of a folder of kind folders (`entities/`, `forms/`, …); anything else is an error. */
function readKindFolders(dir: string, allowManifest: boolean): ReadFile[] {
  const files: ReadFile[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (isHidden(name) || SKIPPED_FOLDERS.has(name)) continue
    if (statSync(path).isDirectory()) {
      if (!isKindFolder(name))
        throw new LayoutError(
          `${path}: unknown folder '${name}' (a package holds ${Object.keys(FOLDER_KIND).join(', ')} and data)`,
        )
      files.push(...readKindFolder(path, name))
    } else if (name === 'manifest.json' && allowManifest) files.unshift(readJson(path, 'packages'))
    else if (name.endsWith('.json'))
      throw new LayoutError(
        `${path}: a definition must sit in a kind folder (entities/, forms/, …)`,
      )
  }
  return files
}

/** Whether a folder holds any .json file at any depth (a folder of code or docs holds none). */
function holdsJson(dir: string): boolean {
  return readdirSync(dir).some((name) => {
    const path = join(dir, name)
    if (isHidden(name) || name === 'node_modules') return false
    return statSync(path).isDirectory() ? holdsJson(path) : name.endsWith('.json')
  })
}

/** Strips the editor-only `$schema` line. */
function toDefinition<T>(file: ReadFile): T {
  const { $schema: _s, ...doc } = file.doc as Record<string, unknown>
  return doc as T
}

function readPackage(dir: string): ReadPaths['packages'][number] {
  const files = readKindFolders(dir, true)
  const manifest = toDefinition<PackageManifest>(files[0])
  const contents: PackageContents = { manifest, ...emptyDefinitions() }
  for (const file of files.slice(1))
    (contents[file.kind as KindFolder] as unknown[]).push(toDefinition(file))
  const { pkg, issues } = assignPackage(contents)
  if (issues.length) throw new LayoutError(`${dir}: ${issues[0].path} ${issues[0].message}`)
  return { dir, files, contents: pkg }
}

function visit(path: string, out: ReadPaths, top: string): void {
  if (!statSync(path).isDirectory()) {
    const kind = basename(dirname(path))
    if (basename(path) === 'manifest.json') out.loose.push(readJson(path, 'packages'))
    else if (isKindFolder(kind) && path.endsWith('.json')) out.loose.push(readJson(path, kind))
    else
      throw new LayoutError(
        `${path}: not a metadata file (expected manifest.json or a file in ${Object.keys(FOLDER_KIND).join('/, ')}/)`,
      )
    return
  }
  if (existsSync(join(path, 'manifest.json'))) return void out.packages.push(readPackage(path))
  const names = readdirSync(path).filter((n) => !isHidden(n))
  if (names.some(isKindFolder)) return void out.loose.push(...readKindFolders(path, false))
  const before = out.packages.length
  for (const name of names.sort()) {
    const sub = join(path, name)
    if (statSync(sub).isDirectory()) {
      if (existsSync(join(sub, 'manifest.json'))) out.packages.push(readPackage(sub))
      else if (!SKIPPED_FOLDERS.has(name) && holdsJson(sub))
        throw new LayoutError(`${sub}: not a package folder (it has no manifest.json)`)
    } else if (name.endsWith('.json'))
      throw new LayoutError(`${sub}: a definition must sit in a package's kind folder`)
  }
  if (out.packages.length === before)
    throw new LayoutError(`${relative(process.cwd(), path) || top}: no package folder found`)
}

/**
 * Reads the paths given to validate/plan/apply/install: each a package folder (with
 * `manifest.json`), a folder of package folders, or (validate only) single definition files.
 * Unknown folders and files of an unknown kind are errors naming the path.
 */
export function readPaths(paths: string[]): ReadPaths {
  const out: ReadPaths = { packages: [], loose: [] }
  for (const p of paths) {
    const abs = resolve(p)
    if (!existsSync(abs)) throw new LayoutError(`No such file or folder: ${p}`)
    visit(abs, out, p)
  }
  const seen = new Map<string, string>()
  for (const { dir, contents } of out.packages) {
    const other = seen.get(contents.manifest.id)
    if (other)
      throw new LayoutError(`${dir}: package '${contents.manifest.id}' is also in ${other}`)
    seen.set(contents.manifest.id, dir)
  }
  return out
}

/** Reads package folders only (plan, apply, install): loose files are an error. */
export function readPackages(paths: string[]): PackageContents[] {
  const read = readPaths(paths)
  if (read.loose.length)
    throw new LayoutError(
      `${dirname(read.loose[0].path)}: not a package folder (it has no manifest.json)`,
    )
  return read.packages.map((p) => p.contents)
}

/** Every package under `dir` merged into one bundle (what a fresh instance would publish). */
export function readBundle(dir: string): MetadataBundle {
  const packages = readPackages([dir])
  return {
    packages: packages.map((p) => p.manifest),
    entities: packages.flatMap((p) => p.entities),
    forms: packages.flatMap((p) => p.forms),
    views: packages.flatMap((p) => p.views),
    roles: packages.flatMap((p) => p.roles),
  }
}

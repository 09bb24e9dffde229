import { METADATA_SCHEMAS } from '../../metadata/schemas'
import type { MetadataBundle, PackageContents, PackageKind } from '../../runtime/registry'
import { splitPackages } from '../../runtime/registry'
import { FOLDER_KIND } from './read-bundle'

type Schema = { properties?: Record<string, Schema>; items?: Schema; [k: string]: unknown }

/** One file of an exported package: its path inside the export folder and its text. */
export interface PackageFile {
  path: string
  text: string
}

/** The package unpackaged definitions (made over the API without a module) are written to. */
export const LOCAL_PACKAGE = 'local'

/** `followUp` → `follow-up`: file names are kebab-case, ids camelCase. */
export function toKebabCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
}

/** Property names in the order the schema declares them (and in its alternatives). */
function declaredOrder(schema: Schema | undefined, out: string[] = []): string[] {
  if (!schema || typeof schema !== 'object') return out
  for (const key of Object.keys(schema.properties ?? {})) if (!out.includes(key)) out.push(key)
  for (const k of ['allOf', 'anyOf', 'oneOf'])
    for (const sub of (schema[k] as Schema[] | undefined) ?? []) declaredOrder(sub, out)
  for (const k of ['then', 'else']) declaredOrder(schema[k] as Schema | undefined, out)
  return out
}

function subSchema(schema: Schema | undefined, key: string): Schema | undefined {
  if (!schema) return undefined
  const own = schema.properties?.[key]
  if (own) return own
  for (const k of ['allOf', 'anyOf', 'oneOf'])
    for (const sub of (schema[k] as Schema[] | undefined) ?? []) {
      const found = subSchema(sub, key)
      if (found) return found
    }
  const extra = schema.additionalProperties
  return typeof extra === 'object' ? (extra as Schema) : undefined
}

/**
 * A copy with object keys in a stable order: the schema's declared order, then the rest
 * alphabetically. jsonb keeps no key order, so an export must choose one to diff cleanly.
 */
export function toOrdered(value: unknown, schema: Schema | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => toOrdered(item, schema?.items))
  if (!value || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  const declared = declaredOrder(schema).filter((k) => k in record)
  const rest = Object.keys(record)
    .filter((k) => !declared.includes(k))
    .sort()
  return Object.fromEntries(
    [...declared, ...rest].map((k) => [k, toOrdered(record[k], subSchema(schema, k))]),
  )
}

const KIND_OF = FOLDER_KIND as Record<PackageKind, keyof typeof METADATA_SCHEMAS>

function toFileText(
  body: object,
  kind: keyof typeof METADATA_SCHEMAS,
  schemaRef: string,
  packageId?: string,
): string {
  // The folder says the package (reading it back sets `module` again); version numbers are the
  // instance's own.
  const { version: _v, module, ...rest } = body as Record<string, unknown>
  const def = kind === 'package' ? body : module === packageId ? rest : { module, ...rest }
  const ordered = toOrdered(def, METADATA_SCHEMAS[kind] as Schema) as object
  return `${JSON.stringify({ $schema: schemaRef, ...ordered }, null, 2)}\n`
}

function packageFiles(pkg: PackageContents, schemasFrom: (depth: number) => string): PackageFile[] {
  const dir = pkg.manifest.id
  const files: PackageFile[] = [
    {
      path: `${dir}/manifest.json`,
      text: toFileText(pkg.manifest, 'package', `${schemasFrom(1)}package.schema.json`),
    },
  ]
  for (const kind of Object.keys(FOLDER_KIND) as PackageKind[]) {
    for (const def of pkg[kind] as { id: string }[]) {
      const schema = `${schemasFrom(2)}${KIND_OF[kind]}.schema.json`
      files.push({
        path: `${dir}/${kind}/${toKebabCase(def.id)}.json`,
        text: toFileText(def, KIND_OF[kind], schema, pkg.manifest.id),
      })
    }
  }
  return files
}

/**
 * The files of an instance's published metadata, one folder per package (manifest + kind folders
 * + one file per definition, `$schema` lines, stable key order). Definitions of no package go to
 * a `local` package. `schemasFrom(depth)` gives the relative path to the schema files from a
 * folder `depth` levels below the export folder. Pure.
 */
export function toPackageFiles(
  bundle: MetadataBundle,
  schemasFrom: (depth: number) => string,
): PackageFile[] {
  const { packages, unpackaged } = splitPackages(bundle)
  const hasLocal = Object.values(unpackaged).some((defs) => defs.length > 0)
  if (hasLocal && packages.some((p) => p.manifest.id === LOCAL_PACKAGE))
    throw new Error(`Definitions of no package, and a package named '${LOCAL_PACKAGE}' already`)
  if (hasLocal) {
    const label = { en: 'This instance', 'zh-CN': '本实例', ko: '이 인스턴스' }
    packages.push({ manifest: { id: LOCAL_PACKAGE, version: '1.0.0', label }, ...unpackaged })
  }
  return packages.flatMap((pkg) => packageFiles(pkg, schemasFrom))
}

import { PACKAGE_KIND_OF_FOLDER, type PackageManifest } from '../../metadata/package'
import { validateDefinition } from '../../metadata/validate'
import { DefinitionError, type Issue } from '../errors'
import { assignPackage, PACKAGE_KINDS, type PackageContents } from './packages'

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v)

function definitionsOf(body: Record<string, unknown>, kind: (typeof PACKAGE_KINDS)[number]) {
  const issues: Issue[] = []
  const list = body[kind] ?? []
  if (!Array.isArray(list))
    return { defs: [], issues: [{ path: kind, message: 'must be an array' }] }
  list.forEach((def, i) => {
    for (const issue of validateDefinition(PACKAGE_KIND_OF_FOLDER[kind], def))
      issues.push({
        path: `${kind}[${i}]${issue.path ? `.${issue.path}` : ''}`,
        message: issue.message,
      })
  })
  return { defs: list, issues }
}

/**
 * A package as an API body carries it — `{ manifest, entities, forms, views, roles }` — checked
 * against the schemas, each definition given the package's id as its module. Throws a
 * DefinitionError naming every bad part.
 * @example toPackageContents({ manifest: { id: 'extra', version: '1.0.0', label }, entities: [visit] })
 */
export function toPackageContents(body: Record<string, unknown>): PackageContents {
  const issues: Issue[] = []
  for (const key of Object.keys(body))
    if (key !== 'manifest' && !(PACKAGE_KINDS as readonly string[]).includes(key))
      issues.push({
        path: key,
        message: `unknown part (a package has manifest, ${PACKAGE_KINDS.join(', ')})`,
      })
  if (!isObject(body.manifest)) issues.push({ path: 'manifest', message: 'an object is required' })
  else
    for (const issue of validateDefinition('package', body.manifest))
      issues.push({ path: `manifest${issue.path ? `.${issue.path}` : ''}`, message: issue.message })
  const parts = Object.fromEntries(
    PACKAGE_KINDS.map((kind) => {
      const { defs, issues: found } = definitionsOf(body, kind)
      issues.push(...found)
      return [kind, defs]
    }),
  )
  if (issues.length) throw new DefinitionError('The package is not valid', issues)
  const { $schema: _s, ...manifest } = body.manifest as PackageManifest
  // `$schema` lines are for editors; the stored definition leaves them out.
  for (const kind of PACKAGE_KINDS)
    parts[kind] = (parts[kind] as { $schema?: string }[]).map(({ $schema: _d, ...def }) => def)
  const assigned = assignPackage({ manifest, ...parts } as PackageContents)
  if (assigned.issues.length) throw new DefinitionError('The package is not valid', assigned.issues)
  return assigned.pkg
}

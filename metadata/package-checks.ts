import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { PackageManifest } from './package'

/** Checks a package manifest beyond its schema: it does not depend on itself. */
export function validatePackage(manifest: PackageManifest): MetadataIssue[] {
  if (!manifest.dependencies || !Object.hasOwn(manifest.dependencies, manifest.id)) return []
  return [toIssue(joinPath('dependencies', manifest.id), 'a package cannot depend on itself')]
}

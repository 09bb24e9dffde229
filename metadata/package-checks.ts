import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import type { PackageManifest } from './package'
import { parseRange } from './package-version'

/** Checks a package manifest beyond its schema: it does not depend on itself, ranges parse. */
export function validatePackage(manifest: PackageManifest): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const [id, range] of Object.entries(manifest.dependencies ?? {})) {
    const path = joinPath('dependencies', id)
    if (id === manifest.id) issues.push(toIssue(path, 'a package cannot depend on itself'))
    else if (!parseRange(range))
      issues.push(
        toIssue(
          path,
          `'${range}' is not a version range: 1.2.3, ^1.2.3, ~1.2.3, >=1.2.3 <2.0.0 or *`,
        ),
      )
  }
  return issues
}

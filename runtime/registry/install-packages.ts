import { compareVersionTexts } from '../../metadata/package-version'
import { ForbiddenError } from '../errors'
import type { SchemaPlan } from '../schema'
import type { DefinitionChange } from './bundle-diff'
import { mergePackages, type PackageContents } from './packages'
import { publishMetadata, type PublishCtx } from './publish'

/** What an install does to one given package: `from` the installed version, if any, `to` the given. */
export interface PackageStep {
  id: string
  from: string | null
  to: string
  step: 'install' | 'upgrade' | 'downgrade' | 'reinstall'
}

/** What installing packages changes (or would change, for a dry run). */
export interface InstallResult {
  plan: SchemaPlan
  /** Each given package: installed, upgraded, downgraded or reinstalled at its version. */
  packages: PackageStep[]
  changes: DefinitionChange[]
  /** The published metadata version after the install; unchanged for a dry run. */
  version: number
}

/**
 * Adds or updates packages in an instance: the published metadata with each given package
 * replaced or added, every other package left as installed, planned and applied in one
 * transaction. Destructive steps need `confirmDestructive`, as for any publish.
 * @example await installPackages(ctx, [crmPlus], { dryRun: true }) // the plan, nothing applied
 */
export async function installPackages(
  ctx: PublishCtx,
  packages: PackageContents[],
  options: { dryRun?: boolean; confirmDestructive?: boolean } = {},
): Promise<InstallResult> {
  if (!ctx.user?.isAdmin) throw new ForbiddenError('Only administrators install packages')
  let steps: PackageStep[] = []
  const { plan, changes, meta } = await publishMetadata(
    ctx,
    (installed) => {
      steps = packages.map(({ manifest }) =>
        toPackageStep(manifest, installed.packages.find((p) => p.id === manifest.id)?.version),
      )
      return mergePackages(installed, packages)
    },
    options,
  )
  return { plan, packages: steps, changes, version: meta.version }
}

function toPackageStep(manifest: { id: string; version: string }, from?: string): PackageStep {
  const { id, version: to } = manifest
  if (from === undefined) return { id, from: null, to, step: 'install' }
  const order = compareVersionTexts(from, to) ?? 0
  return { id, from, to, step: order < 0 ? 'upgrade' : order > 0 ? 'downgrade' : 'reinstall' }
}

import { ForbiddenError } from '../errors'
import type { SchemaPlan } from '../schema'
import type { DefinitionChange } from './bundle-diff'
import { mergePackages, type PackageContents } from './packages'
import { publishMetadata, type PublishCtx } from './publish'

/** What installing packages changes (or would change, for a dry run). */
export interface InstallResult {
  plan: SchemaPlan
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
  const { plan, changes, meta } = await publishMetadata(
    ctx,
    (installed) => mergePackages(installed, packages),
    options,
  )
  return { plan, changes, version: meta.version }
}

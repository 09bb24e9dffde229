export {
  buildMetadataSet,
  defaultForm,
  emptyDefinitions,
  flowForEntity,
  requireEntity,
  type MetadataBundle,
  type MetadataSet,
} from './metadata-set'
export { loadPublishedMetadata, readMetadataVersion } from './published'
export { createHandlerMetadata } from './handler-metadata'
export {
  deliveredUnlessWanted,
  EVENT_INTERESTS,
  isEventWanted,
  quietVersion,
  TRANSITION_OUTBOX_EVENT,
  type EventInterest,
} from './event-interest'
export {
  publishMetadata,
  validateBundle,
  type BundleSource,
  type PublishCtx,
  type PublishOptions,
} from './publish'
export {
  assignPackage,
  mergePackages,
  packageOf,
  splitPackages,
  PACKAGE_KINDS,
  type PackageContents,
  type PackageKind,
} from './packages'
export { installPackages, type InstallResult, type PackageStep } from './install-packages'
export { toPackageContents } from './package-body'
export { canonicalJson, diffBundles, type DefinitionChange } from './bundle-diff'
export {
  applyDrafts,
  loadDraftBundle,
  planDrafts,
  saveDraft,
  DRAFT_KINDS,
  type DraftKind,
} from './drafts'
export { createMetadataCache, type MetadataCache } from './cache'

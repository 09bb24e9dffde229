export {
  buildMetadataSet,
  defaultForm,
  requireEntity,
  type MetadataBundle,
  type MetadataSet,
} from './metadata-set'
export { loadPublishedMetadata, readMetadataVersion } from './published'
export { publishMetadata, validateBundle, type PublishCtx, type PublishOptions } from './publish'
export {
  applyDrafts,
  loadDraftBundle,
  planDrafts,
  saveDraft,
  DRAFT_KINDS,
  type DraftKind,
} from './drafts'
export { createMetadataCache, type MetadataCache } from './cache'

export {
  buildMetadataSet,
  defaultForm,
  requireEntity,
  type MetadataBundle,
  type MetadataSet,
} from './metadata-set'

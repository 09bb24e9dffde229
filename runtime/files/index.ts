/**
 * Files: the store port (local disk, S3-compatible bucket, in-process), uploads streamed into it
 * with their limits, files read with the permissions of their record, `storeFile` for files the
 * runtime makes, and the sweep of uploads never attached and of deleted records' files.
 * Attaching happens in a record write (records/record-files).
 */
export { assertStorageKey, newStorageKey, type FileStore } from './file-store'
export { createLocalFileStore } from './local-file-store'
export { createMemoryFileStore } from './memory-file-store'
export { createS3FileStore, S3_PART_BYTES } from './s3-file-store'
export type { S3Settings } from './s3-client'
export {
  DEFAULT_UPLOAD_MAX_BYTES,
  DEFAULT_UPLOAD_TYPES,
  isAcceptedType,
  isPreviewable,
  toFileType,
} from './file-types'
export { toFileName } from './file-names'
export {
  DEFAULT_UPLOAD_LIMITS,
  resolveUploadTarget,
  type UploadLimits,
  type UploadTarget,
} from './upload-limits'
export { requireStore, uploadFile, type FileInfo, type UploadInput } from './upload-file'
export { storeFile, type StoreFileInput } from './store-file'
export { openFile, type OpenedFile } from './open-file'
export {
  PENDING_FILE_MS,
  startFileSweep,
  sweepDeletedRecordFiles,
  sweepPendingFiles,
} from './sweep-files'
export { discardPendingFile } from './discard-file'

/**
 * Sharing: records shared with users or departments (read or write, optionally expiring), bulk
 * transfer of ownership, and the anti-collision duplicate lookup that never leaks what the caller
 * may not read.
 */
export { bulkShare } from './bulk-share'
export {
  findDuplicatesForCaller,
  MAX_HITS_PER_RULE,
  type DuplicateHit,
} from './find-duplicates-for-caller'
export { listShares } from './list-shares'
export { relatedEntities } from './move-related'
export { recordCapabilities, type RecordCapabilities } from './record-capabilities'
export { MAX_BULK_IDS } from './record-ids'
export { shareRecord, unshareRecord } from './share-record'
export type { ShareInput, ShareTarget } from './share-input'
export type { Share } from './share-rows'
export {
  transferOwnership,
  type TransferInput,
  type TransferOutcome,
  type TransferResult,
} from './transfer-ownership'

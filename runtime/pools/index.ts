/**
 * Pools (公海): claiming unowned records with limits and a cool-down, returning them by hand,
 * and reclaiming them automatically after too long without a follow-up or a deal.
 */
export { claimRecord, type ClaimResult } from './claim-record'
export { releaseRecord, type ReleaseInput } from './release-record'
export { canAdminPool, canUsePool } from './pool-access'
export { noPoolToRelease } from './pool-refusal-texts'
export { teamMembers, isTeamMember, type TeamMember } from './team-members'
export { planReclaim, reclaimRuleFor, type ReclaimFacts, type ReclaimPlan } from './reclaim-plan'
export {
  readReclaimState,
  refreshReclaim,
  RECLAIM_REMINDER,
  RECLAIM_TIMER,
  type ReclaimState,
} from './reclaim-timers'
export {
  poolsOf,
  registerPoolHandlers,
  type PoolHandlerOptions,
  type PoolSource,
} from './pool-handlers'
export { reminderTitle } from './reminder-message'
export { startOfDay } from './pool-day'
export { recordPoolMove, type PoolMove } from './pool-history'
export { poolColumns, type PoolColumns } from './pool-columns'
export {
  listPools,
  listPoolRecords,
  poolDefinitions,
  requirePool,
  type PoolOverview,
} from './pool-views'

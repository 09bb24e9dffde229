/**
 * Assignment rules: a new lead or ticket gets an owner by round robin, least open load or a
 * team per field value, skipping people on leave or at capacity, with a fallback owner.
 */
export { assignRecord, type Assignment } from './assign-record'
export { assignmentCandidates, teamFor, type Candidate } from './candidates'
export { assignCreated, registerAssignmentHandlers } from './assignment-handlers'

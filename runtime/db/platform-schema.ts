import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * Platform tables: ordinary drizzle schema, migrated by drizzle-kit (`runtime/db/migrations`).
 * Entity tables are not here: they live in the `app` schema and are built from metadata.
 */

/** Companies and departments as one tree (`kind` tells them apart). */
export const departments = pgTable(
  'departments',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    name: text('name').notNull(),
    /** 'company' or 'department'. */
    kind: text('kind').notNull().default('department'),
    parentId: uuid('parent_id'),
    headUserId: uuid('head_user_id'),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('departments_parent_idx').on(t.parentId)],
)

/** Every (ancestor, descendant) pair of the department tree, itself included at depth 0. */
export const departmentClosure = pgTable(
  'department_closure',
  {
    ancestorId: uuid('ancestor_id').notNull(),
    descendantId: uuid('descendant_id').notNull(),
    depth: integer('depth').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ancestorId, t.descendantId] }),
    index('department_closure_descendant_idx').on(t.descendantId),
  ],
)

/** Every (manager, report) pair of the manager chain, direct and indirect (depth ≥ 1). */
export const managerClosure = pgTable(
  'manager_closure',
  {
    managerId: uuid('manager_id').notNull(),
    reportId: uuid('report_id').notNull(),
    depth: integer('depth').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.managerId, t.reportId] }),
    index('manager_closure_report_idx').on(t.reportId),
  ],
)

export const positions = pgTable('positions', {
  id: uuid('id')
    .primaryKey()
    .default(sql`trellis_uuid7()`),
  name: text('name').notNull(),
  // A position outlives its department (it is then nobody's).
  departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const users = pgTable(
  'users',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('en'),
    isAdmin: boolean('is_admin').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    departmentId: uuid('department_id').references(() => departments.id),
    managerId: uuid('manager_id'),
    // A held position cannot be deleted (the org API answers 409 first; this closes the race).
    positionId: uuid('position_id').references(() => positions.id, { onDelete: 'restrict' }),
    /** Extra `$user` variables for row filters (e.g. region). */
    attributes: jsonb('attributes').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    index('users_department_idx').on(t.departmentId),
    index('users_manager_idx').on(t.managerId),
    index('users_position_idx').on(t.positionId),
  ],
)

/** Roles a user holds (role ids are metadata ids); permissions of all of them are united. */
export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: text('role_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] })],
)

/** API tokens: scoped to some of the owner's roles, listed, revocable. Stored hashed. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roles: text('roles').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_key').on(t.tokenHash),
    index('api_tokens_user_idx').on(t.userId),
  ],
)

/** A record shared with a user or a department, read-only or read-write, optionally until a time. */
export const recordShares = pgTable(
  'record_shares',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    entity: text('entity').notNull(),
    recordId: uuid('record_id').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'cascade' }),
    /** 'read' or 'write'. */
    access: text('access').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Why the engine made the share: 'approval' (an approver or a CC'd user may read the record
     * they were given); null for a share a person made.
     */
    reason: text('reason'),
  },
  (t) => [
    index('record_shares_record_idx').on(t.entity, t.recordId),
    // One share per recipient and record: writing a share again changes it (an upsert). A user's
    // key leads with the recipient, entity second: the scope predicate looks up (recipient,
    // entity) and session loading lists a recipient's entities, from the same index the upsert
    // checks (migration 0020: one index fewer to write per share). The record third makes every
    // key distinct: with (recipient, entity) alone, all of an approver's shares of an entity
    // were one key, one posting list on one leaf page that every new approval share rewrote.
    uniqueIndex('record_shares_recipient_user_key')
      .on(t.userId, t.entity, t.recordId)
      .where(sql`user_id is not null`),
    uniqueIndex('record_shares_department_key')
      .on(t.entity, t.recordId, t.departmentId)
      .where(sql`department_id is not null`),
    // A user's share has no department: only department shares are indexed here.
    index('record_shares_recipient_department_idx')
      .on(t.departmentId, t.entity)
      .where(sql`department_id is not null`),
  ],
)

export const sessions = pgTable(
  'sessions',
  {
    /** sha-256 of the token: a leaked table does not leak live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

/** Every published definition, one row per (kind, id, version). The newest version is live. */
export const metadataVersions = pgTable(
  'metadata_versions',
  {
    kind: text('kind').notNull(),
    defId: text('def_id').notNull(),
    version: integer('version').notNull(),
    definition: jsonb('definition').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid('published_by'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.defId, t.version] })],
)

/** Unpublished edits (PUT /api/meta/...): applied by plan + apply. */
export const metadataDrafts = pgTable(
  'metadata_drafts',
  {
    kind: text('kind').notNull(),
    defId: text('def_id').notNull(),
    definition: jsonb('definition').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.defId] })],
)

/** One row per applied schema plan: what changed, who confirmed it. */
export const schemaMigrations = pgTable('schema_migrations', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  appliedBy: uuid('applied_by'),
  steps: jsonb('steps').notNull(),
  /** A global counter bumped by every apply: caches key on it. */
  metadataVersion: integer('metadata_version').notNull(),
})

/** Who changed what, before and after. Append-only: no API updates or deletes it. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entity: text('entity').notNull(),
    recordId: uuid('record_id').notNull(),
    action: text('action').notNull(),
    userId: uuid('user_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    requestId: text('request_id'),
    /** { field: { before, after } } */
    changes: jsonb('changes').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [index('audit_log_record_idx').on(t.entity, t.recordId, t.id)],
)

/** Events written in the same transaction as the change; delivered later by workers. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entity: text('entity').notNull(),
    recordId: uuid('record_id').notNull(),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    userId: uuid('user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.id)
      .where(sql`delivered_at is null`),
    // The retention sweep deletes delivered rows oldest first.
    index('outbox_delivered_idx')
      .on(t.deliveredAt)
      .where(sql`delivered_at is not null`),
  ],
)

/** Counters behind auto-number fields; the row lock makes numbers unique under concurrency. */
export const autoNumbers = pgTable(
  'auto_numbers',
  {
    entity: text('entity').notNull(),
    field: text('field').notNull(),
    /** The period the counter belongs to when the pattern resets (e.g. `2026`), else ''. */
    period: text('period').notNull(),
    value: integer('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.field, t.period] })],
)

/** Sign-in (and current-password) tries per key and window, shared by every API process. */
export const loginAttempts = pgTable('login_attempts', {
  /** e.g. `login:<username>:<address>`, `login-user:<username>`, `login-address:<address>`. */
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  /** No longer written: a key is blocked while its count is over its limit within the window. */
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
})

/**
 * Timers: work due at a time (a reclaim date, an SLA milestone, a reminder). One row per
 * (kind, key): scheduling again moves it, cancelling deletes it. A claimer holds a row until
 * `claimed_until` (a lease: a claimer that died is replaced after it); a fired row keeps
 * `fired_at`, so it never fires twice, and is cleared after the retention period.
 */
export const timers = pgTable(
  'timers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull().default({}),
    /** The record the timer belongs to, if any: its timers go when it is deleted. */
    entity: text('entity'),
    recordId: uuid('record_id'),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    claimedBy: text('claimed_by'),
    firedAt: timestamp('fired_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('timers_kind_key_idx').on(t.kind, t.key),
    index('timers_due_idx')
      .on(t.dueAt, t.id)
      .where(sql`fired_at is null`),
    index('timers_record_idx')
      .on(t.entity, t.recordId)
      .where(sql`record_id is not null`),
  ],
)

/** Effects already done, by idempotency key: a retried or re-delivered job skips them. */
export const jobEffects = pgTable(
  'job_effects',
  {
    key: text('key').primaryKey(),
    job: text('job').notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The retention sweep deletes the oldest keys first.
  (t) => [index('job_effects_done_idx').on(t.doneAt)],
)

/** Jobs that failed every try, kept for operators to read and retry (both queue kinds). */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    key: text('key').notNull(),
    data: jsonb('data').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
    retriedAt: timestamp('retried_at', { withTimezone: true }),
  },
  (t) => [
    index('dead_letters_open_idx')
      .on(t.failedAt)
      .where(sql`retried_at is null`),
  ],
)

/** In-app notifications: one row per recipient, newest first, unread until marked read. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The alert that sent it (null for system notices). */
    alert: text('alert'),
    entity: text('entity'),
    recordId: uuid('record_id'),
    /** In the recipient's language when sent; what a reader sees when `texts` has none of theirs. */
    title: text('title').notNull(),
    body: text('body'),
    /** The title and body in every language the sender had, by locale: the reader's is shown. */
    texts: jsonb('texts').$type<Record<string, { title: string; body: string | null }>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** Idempotency key of the delivery: a re-delivered job does not notify twice. */
    key: text('key'),
  },
  (t) => [
    uniqueIndex('notifications_key_idx').on(t.key),
    index('notifications_user_idx').on(t.userId, t.createdAt, t.id),
    index('notifications_unread_idx')
      .on(t.userId, t.createdAt)
      .where(sql`read_at is null`),
  ],
)

/**
 * Approval runs of flows: one row per instance, the whole ApprovalInstance in `data`. At most one
 * running instance per record (the partial unique index closes the race of two submits).
 */
export const flowInstances = pgTable(
  'flow_instances',
  {
    id: uuid('id').primaryKey(),
    flow: text('flow').notNull(),
    flowVersion: integer('flow_version').notNull(),
    transition: text('transition').notNull(),
    entity: text('entity').notNull(),
    recordId: uuid('record_id').notNull(),
    submitter: uuid('submitter').notNull(),
    /** 'running', 'approved', 'rejected' or 'recalled'. */
    status: text('status').notNull(),
    data: jsonb('data').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('flow_instances_running_key')
      .on(t.entity, t.recordId)
      .where(sql`status = 'running'`),
    index('flow_instances_record_idx').on(t.entity, t.recordId),
    index('flow_instances_submitter_idx').on(t.submitter, t.startedAt.desc()),
  ],
)

/** Approval tasks as rows the inbox can query: a copy of the instance's tasks, kept in step. */
export const approvalTasks = pgTable(
  'approval_tasks',
  {
    /** The public task id (the API's /api/tasks/{id}). */
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => flowInstances.id, { onDelete: 'cascade' }),
    /** ApprovalTask.id within the instance (`t1`, …). */
    taskKey: text('task_key').notNull(),
    entity: text('entity').notNull(),
    recordId: uuid('record_id').notNull(),
    step: text('step').notNull(),
    assignee: uuid('assignee').notNull(),
    owner: uuid('owner').notNull(),
    delegatedFrom: uuid('delegated_from'),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    comment: text('comment'),
  },
  (t) => [
    uniqueIndex('approval_tasks_instance_key').on(t.instanceId, t.taskKey),
    index('approval_tasks_assignee_idx').on(t.assignee, t.status, t.createdAt.desc()),
    // The done box reads a decider's tasks: pending ones (no decider yet) are left out.
    index('approval_tasks_decided_idx')
      .on(t.decidedBy, t.decidedAt.desc())
      .where(sql`decided_by is not null`),
    // The done box of an owner lists the tasks they delegated (few rows: a partial index).
    index('approval_tasks_delegated_idx')
      .on(t.delegatedFrom)
      .where(sql`${t.delegatedFrom} is not null`),
  ],
)

/** Users copied on an approval (a step's CC, or the approval's at the end when `step` is ''). */
export const approvalCc = pgTable(
  'approval_cc',
  {
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => flowInstances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    /** The step that copied them; '' for the approval's own CC (a primary key cannot be null). */
    step: text('step').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.instanceId, t.userId, t.step] }),
    index('approval_cc_user_idx').on(t.userId, t.createdAt.desc()),
  ],
)

/**
 * One row counting changes to what approvals read of the organisation (users' names, managers,
 * departments, admin and disabled flags; roles held; department heads; out-of-office), bumped by
 * triggers in the changing transaction (migration 0014): a process keeps the organisation it
 * read under the version it read it at, and reads it again once the version moves.
 */
export const orgVersion = pgTable('org_version', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
})

/**
 * Secrets of the installation, made once by `migratePlatform` with the operating system's
 * randomness and shared by every process: `approval-links` signs the links in approval mail.
 */
export const platformSecrets = pgTable('platform_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Out-of-office: tasks created for the user between the two times go to the substitute. */
export const outOfOffice = pgTable('out_of_office', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  substituteId: uuid('substitute_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
})

/**
 * The approval links that were used, one row each (keyed by the hash of the token), which makes
 * each single use. A link itself is signed, not stored (see approval-link-tokens.ts); rows written
 * before links were signed stay as they were.
 */
export const approvalLinks = pgTable(
  'approval_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => approvalTasks.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    userId: uuid('user_id').notNull(),
    /** The record's version when the link was made: a changed record refuses the link. */
    recordVersion: integer('record_version').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('approval_links_task_idx').on(t.taskId)],
)

/**
 * Uploaded files. `storage_key` names the bytes in the file store (never a user-supplied path);
 * a file is pending until a record write attaches it (entity, record, field set), and then read
 * with the permissions of that record. Pending files older than a day are swept.
 */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** sha-256 of the bytes, hex. */
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    entity: text('entity'),
    recordId: uuid('record_id'),
    /** The field holding it: `documents`, or `lines.receipt` for a child row's field. */
    field: text('field'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    attachedAt: timestamp('attached_at', { withTimezone: true }),
  },
  (t) => [
    index('files_record_idx')
      .on(t.entity, t.recordId)
      .where(sql`record_id is not null`),
    index('files_pending_idx')
      .on(t.createdAt)
      .where(sql`record_id is null`),
  ],
)

/**
 * Import runs. `rows_done` is the last data row (1-based, header excluded) whose batch committed;
 * it moves in the same transaction as the batch, so a run killed mid-file and started again with
 * the same file, entity, user and options resumes after it and imports nothing twice.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`trellis_uuid7()`),
    entity: text('entity').notNull(),
    userId: uuid('user_id').notNull(),
    fileName: text('file_name').notNull(),
    /** sha-256 of the file and the options (mode, key, mapping), hex: what a re-run must match. */
    fingerprint: text('fingerprint').notNull(),
    /** `{ mode, key, mapping }` as the run was asked. */
    options: jsonb('options').notNull(),
    /** running, done or failed. */
    status: text('status').notNull().default('running'),
    rowsDone: integer('rows_done').notNull().default(0),
    totalRows: integer('total_rows'),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('import_jobs_resume_idx')
      .on(t.userId, t.entity, t.fingerprint)
      .where(sql`status = 'running'`),
  ],
)

/** The rows an import refused, with the reason, written in the transaction of their batch. */
export const importErrors = pgTable(
  'import_errors',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    cells: jsonb('cells').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNumber] })],
)

/** A saved column mapping (file header → field) per entity and user. */
export const importMappings = pgTable(
  'import_mappings',
  {
    entity: text('entity').notNull(),
    userId: uuid('user_id').notNull(),
    mapping: jsonb('mapping').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.entity, t.userId] })],
)

import { sql } from 'drizzle-orm'
import {
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

export const departments = pgTable('departments', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  parentId: uuid('parent_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const users = pgTable(
  'users',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('en'),
    isAdmin: boolean('is_admin').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    departmentId: uuid('department_id').references(() => departments.id),
    managerId: uuid('manager_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_key').on(sql`lower(${t.username})`)],
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

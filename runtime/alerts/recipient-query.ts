import { sql, type SQL } from 'drizzle-orm'
import type { Alert, AlertRecipient } from '../../metadata/alert'
import type { Entity } from '../../metadata/entity'
import type { Ctx } from '../context'
import { columnName, tableRef } from '../schema'

/** One row of the recipient query: a user (with their address and language) or a contact. */
export interface RecipientRow {
  /** Null for a contact address. */
  user_id: string | null
  display_name: string | null
  email: string | null
  phone: string | null
  locale: string | null
  /** Why they receive it: the recipient types that named them, comma-separated (`owner,role`). */
  via: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// Only well-formed ids become parameters: a stray value names nobody instead of failing the query.
function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** The record's owner: the entity's owner field, else whoever created it. */
function ownerOf(entity: Entity | undefined, record: Record<string, unknown>): string | null {
  const value = entity?.ownerField ? record[entity.ownerField] : record.createdBy
  return isUuid(value) ? value : null
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** A user field (`assignee`) or one hop through a reference (`customer.owner`). */
function userFieldBranch(
  ctx: Pick<Ctx, 'meta'>,
  entity: Entity,
  path: string,
  record: Record<string, unknown>,
): SQL | null {
  const [head, tail] = path.split('.')
  const value = record[head]
  if (!isUuid(value)) return null
  if (tail === undefined) return sql`select ${value}::uuid, 'field'`
  const target = ctx.meta.entities.get(entity.fields.find((f) => f.name === head)?.entity ?? '')
  const field = target?.fields.find((f) => f.name === tail && f.type === 'user')
  if (!target || !field) return null
  return sql`select t.${sql.identifier(columnName(field))}, 'field'
    from ${tableRef(target)} t where t.id = ${value}::uuid`
}

/** The `(user_id, via)` rows one recipient adds, or null when the record names nobody. */
function recipientBranch(
  ctx: Pick<Ctx, 'meta'>,
  recipient: AlertRecipient,
  entity: Entity | undefined,
  record: Record<string, unknown>,
): SQL | null {
  const owner = ownerOf(entity, record)
  switch (recipient.type) {
    case 'owner':
      return owner ? sql`select ${owner}::uuid, 'owner'` : null
    case 'ownerManager':
      return owner
        ? sql`select manager_id, 'ownerManager' from manager_closure
          where report_id = ${owner}::uuid and depth <= ${recipient.levels ?? 1}`
        : null
    case 'field':
      return entity ? userFieldBranch(ctx, entity, recipient.field, record) : null
    case 'role':
      return sql`select user_id, 'role' from user_roles where role_id = ${recipient.role}`
    case 'departmentHead': {
      const department = recipient.field ? record[recipient.field] : undefined
      const where = recipient.field
        ? isUuid(department) && sql`d.id = ${department}::uuid`
        : owner && sql`d.id = (select department_id from users where id = ${owner}::uuid)`
      return where
        ? sql`select d.head_user_id, 'departmentHead' from departments d where ${where}`
        : null
    }
    case 'departmentMembers': {
      const department = record[recipient.field]
      if (!isUuid(department)) return null
      // department_closure holds each department as its own descendant at depth 0.
      return recipient.includeSubDepartments
        ? sql`select u.id, 'departmentMembers' from department_closure c
            join users u on u.department_id = c.descendant_id
            where c.ancestor_id = ${department}::uuid`
        : sql`select id, 'departmentMembers' from users where department_id = ${department}::uuid`
    }
    case 'users':
      return sql`select id, 'users' from users where lower(username) in
        (select lower(u) from jsonb_array_elements_text(${JSON.stringify(recipient.usernames)}::jsonb) u)`
    case 'contact':
      return null
  }
}

/** The contact addresses the record holds, one row per contact recipient that has one. */
function contactRows(alert: Alert, record: Record<string, unknown>): SQL[] {
  const rows: SQL[] = []
  for (const r of alert.recipients ?? []) {
    if (r.type !== 'contact') continue
    const email = r.emailField ? textOf(record[r.emailField]) : null
    const phone = r.phoneField ? textOf(record[r.phoneField]) : null
    if (email || phone)
      rows.push(
        sql`select null::uuid, null::text, ${email}::text, ${phone}::text, null::text, 'contact'`,
      )
  }
  return rows
}

/**
 * SQL that resolves an alert's recipients for one record: each enabled user once (owner, the
 * owner's managers up to `levels` through manager_closure, users in fields, role members from
 * user_roles, department heads, the members of a department (and those below it, through
 * department_closure), named users) with their email and language and the recipient
 * types that named them, then one row per contact address the record holds. Values are
 * parameters; identifiers come from the published metadata. Run it with `ctx.db.query`.
 * @example await ctx.db.query<RecipientRow>(buildRecipientQuery(ctx, alert, record))
 */
export function buildRecipientQuery(
  ctx: Pick<Ctx, 'meta'>,
  alert: Alert,
  record: Record<string, unknown>,
): SQL {
  const entity = alert.entity ? ctx.meta.entities.get(alert.entity) : undefined
  const branches = (alert.recipients ?? [])
    .map((r) => recipientBranch(ctx, r, entity, record))
    .filter((b): b is SQL => Boolean(b))
  const wanted = branches.length
    ? sql.join(branches, sql` union all `)
    : sql`select null::uuid, null::text where false`
  const users = sql`select u.id as user_id, u.display_name, u.email, null::text as phone, u.locale,
      string_agg(distinct w.via, ',' order by w.via) as via
    from (${wanted}) as w(user_id, via) join users u on u.id = w.user_id
    where not u.disabled
    group by u.id, u.display_name, u.email, u.locale`
  const contacts = contactRows(alert, record)
  return contacts.length ? sql.join([users, ...contacts], sql` union all `) : users
}

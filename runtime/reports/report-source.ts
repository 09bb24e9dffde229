import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Field, FieldType } from '../../metadata/field'
import { resolveReportPath } from '../../metadata/report-paths'
import { systemKeyType } from '../../metadata/system-fields'
import { DefinitionError } from '../errors'
import { APP_SCHEMA, CHILD_COLUMNS, SYSTEM_COLUMNS, columnName, tableName } from '../schema'

/** The alias of the source entity's table in every report statement. */
export const SOURCE_ALIAS = 's'
/** The alias of the child table a report's paths enter (its rows are then the report's rows). */
export const CHILD_ALIAS = 'c'

/** A column a path ends at: its SQL, the type its value behaves as and the field behind it. */
export interface PathColumn {
  sql: SQL
  type: FieldType
  /** Undefined for a system key. */
  field?: Field
  /** The entity the column belongs to, and each (entity, field name) the path steps through. */
  entity: Entity
  steps: { entity: Entity; name: string }[]
}

interface Join {
  alias: string
  entity: Entity
  /** The column on the joining side that holds the referenced id. */
  link: SQL
}

/**
 * A function answering the read-scope predicate of an entity under an alias (null: no limit),
 * so the compiler stays pure: the caller passes `scopePredicate` bound to its context.
 */
export type ScopeOf = (entityId: string, alias: string) => SQL | null

const qualified = (alias: string, column: string) =>
  sql`${sql.identifier(alias)}.${sql.identifier(column)}`

const tableOf = (entity: Entity) =>
  sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`

/**
 * The FROM clause of a report: the source, the one child table its paths enter (inner join: its
 * rows become the report's) and a left join per reference prefix, each in the caller's read scope
 * (a referenced record the caller may not read shows as empty). Paths are resolved through
 * `column(path)`, which adds the joins they need.
 */
export class ReportSource {
  readonly joins = new Map<string, Join>()
  private child?: { name: string; entity: Entity }

  constructor(
    readonly source: Entity,
    private readonly entities: ReadonlyMap<string, Entity>,
  ) {}

  /** The child table entered, if any path did. */
  get childTable(): string | undefined {
    return this.child?.name
  }

  /** The column `path` ends at, joining what it passes through. */
  column(path: string): PathColumn {
    const resolved = resolveReportPath(this.source, path, this.entities)
    if ('problem' in resolved)
      throw new DefinitionError(`Report path '${path}': ${resolved.problem}`)
    const names = path.split('.')
    let alias = SOURCE_ALIAS
    let entity = this.source
    const steps: PathColumn['steps'] = []
    for (const [i, name] of names.entries()) {
      steps.push({ entity, name })
      if (i === names.length - 1) break
      const field = entity.fields.find((f) => f.name === name)!
      const next = this.entities.get(field.entity!)!
      if (field.type === 'childTable') {
        this.child = { name, entity: next }
        alias = CHILD_ALIAS
      } else {
        alias = this.joinAt(
          names.slice(0, i + 1).join('.'),
          next,
          qualified(alias, columnName(field)),
        )
      }
      entity = next
    }
    const last = names[names.length - 1]
    const system = systemKeyType(last)
    const column = system
      ? (SYSTEM_COLUMNS[last as keyof typeof SYSTEM_COLUMNS] ?? last)
      : columnName(resolved.field!)
    return {
      sql: qualified(alias, column),
      type: resolved.type,
      field: resolved.field,
      entity,
      steps,
    }
  }

  private joinAt(prefix: string, entity: Entity, link: SQL): string {
    let join = this.joins.get(prefix)
    if (!join) {
      join = { alias: `j${this.joins.size + 1}`, entity, link }
      this.joins.set(prefix, join)
    }
    return join.alias
  }

  /** `from … join …`, the joins' scopes bound through `scopeOf`. */
  from(scopeOf: ScopeOf): SQL {
    const parts = [sql`from ${tableOf(this.source)} ${sql.identifier(SOURCE_ALIAS)}`]
    if (this.child) {
      const parent = qualified(CHILD_ALIAS, CHILD_COLUMNS.parentId)
      parts.push(
        sql`join ${tableOf(this.child.entity)} ${sql.identifier(CHILD_ALIAS)} on ${parent} = ${qualified(SOURCE_ALIAS, 'id')}`,
      )
    }
    for (const join of this.joins.values()) {
      const scope = scopeOf(join.entity.id, join.alias)
      const on = sql`${qualified(join.alias, 'id')} = ${join.link}`
      parts.push(
        sql`left join ${tableOf(join.entity)} ${sql.identifier(join.alias)} on ${scope ? sql`${on} and ${scope}` : on}`,
      )
    }
    return sql.join(parts, sql` `)
  }
}

import type { Entity } from '../../metadata/entity'
import { TrellisError, type Issue } from '../errors'
import { compileFilter } from '../rules'

/**
 * Issues of roll-up filters the database could not run: each is compiled against its child
 * entity as every write of a child record will compile it, so a filter the SQL compiler refuses
 * (`{">": [{"var": "amount"}, 5]}` on money) is refused at publish, not on each child write.
 * Paths as validateBundle names them: `entities[order].fields[3].rollup.filter`.
 */
export function validateRollupFilters(entities: Entity[]): Issue[] {
  const byId = new Map(entities.map((e) => [e.id, e]))
  const issues: Issue[] = []
  for (const entity of entities) {
    entity.fields.forEach((field, i) => {
      const child = field.rollup?.filter !== undefined ? byId.get(field.rollup.entity) : undefined
      if (!child) return
      const path = `entities[${entity.id}].fields[${i}].rollup.filter`
      try {
        compileFilter(child, field.rollup!.filter!, { alias: 'c', now: new Date(0), path })
      } catch (err) {
        if (!(err instanceof TrellisError)) throw err
        issues.push({ path, message: err.details[0]?.message ?? err.message })
      }
    })
  }
  return issues
}

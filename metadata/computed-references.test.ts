import { describe, expect, it } from 'vitest'
import type { MetadataBundleShape } from './bundle'
import type { Field } from './field'
import { validateReferences } from './references'
import { validBundle } from './test-fixtures'

const label = { en: 'x' }

/** The fixture bundle with `fields` added to followUp (it references customer). */
function issuesWith(...fields: Field[]) {
  const bundle: MetadataBundleShape = validBundle()
  bundle.entities.find((e) => e.id === 'followUp')!.fields.push(...fields)
  return validateReferences(bundle)
}

const formula = (name: string, rule: unknown, resultType: Field['resultType'] = 'number') =>
  ({ name, type: 'formula', label, resultType, formula: rule }) as Field

describe('what computed fields read', () => {
  it('follows a reference to a field of its target, and money to its amount', () => {
    expect(
      issuesWith(
        formula('limit', { var: 'customer.creditLimit.amount' }),
        formula('who', { var: 'customer.name' }, 'text'),
      ),
    ).toEqual([])
  })

  it('refuses a path through a field that is not a reference, or to an unknown field', () => {
    const issues = issuesWith(
      formula('a', { '*': [{ var: 'summary.rate' }, 2] }),
      formula('b', { var: 'customer.dailyRate.amount' }),
      formula('c', { var: 'customer.parent.name' }, 'text'),
    )
    expect(issues.map((i) => i.path)).toEqual([
      'entities[followUp].fields[3].formula["*"][0].var',
      'entities[followUp].fields[4].formula.var',
      'entities[followUp].fields[5].formula.var',
    ])
    expect(issues[1].message).toContain("no field 'dailyRate' in entity 'customer'")
  })

  it('checks a roll-up names a child entity, its reference back and a number to sum', () => {
    const bundle = validBundle()
    const customer = bundle.entities.find((e) => e.id === 'customer')!
    const rollup = (r: object) =>
      ({ name: 'n', type: 'formula', label, resultType: 'number', rollup: r }) as Field
    customer.fields.push(
      rollup({ entity: 'followUp', via: 'customer', op: 'count' }),
      rollup({ entity: 'followUp', via: 'summary', op: 'count' }),
      rollup({ entity: 'followUp', via: 'customer', op: 'sum', field: 'summary' }),
      rollup({ entity: 'nope', via: 'customer', op: 'count' }),
      rollup({ entity: 'followUp', via: 'customer', op: 'max', field: 'missing' }),
    )
    const at = customer.fields.length - 5
    expect(validateReferences(bundle).map((i) => i.path)).toEqual([
      `entities[customer].fields[${at + 1}].rollup.via`,
      `entities[customer].fields[${at + 2}].rollup.field`,
      `entities[customer].fields[${at + 3}].rollup.entity`,
      `entities[customer].fields[${at + 4}].rollup.field`,
    ])
  })

  it('checks fillFrom names a reference and a field of the same type on its target', () => {
    const fill = (field: string, type: Field['type'] = 'text') =>
      ({ name: `f${field}`, type, label, fillFrom: { reference: 'customer', field } }) as Field
    const issues = issuesWith(fill('name'), fill('phone', 'integer'), fill('nothing'))
    expect(issues.map((i) => i.path)).toEqual([
      'entities[followUp].fields[4].fillFrom.field',
      'entities[followUp].fields[5].fillFrom.field',
    ])
  })
})

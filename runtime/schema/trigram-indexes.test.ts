import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { buildCreateIndex, buildIndexSpecs } from './ddl'
import { buildSchemaPlan } from './plan'

const dialect = new PgDialect()
const label = { en: 'x' }
const customer: Entity = {
  id: 'customer',
  label,
  titleField: 'name',
  searchFields: ['code', 'employees'],
  fields: [
    { name: 'name', type: 'text', label },
    { name: 'code', type: 'autoNumber', label, unique: true },
    { name: 'employees', type: 'integer', label },
    { name: 'phone', type: 'phone', label },
  ],
}
const trigramNames = (entity: Entity) =>
  buildIndexSpecs(entity)
    .filter((s) => s.method === 'trgm')
    .map((s) => s.name)

describe('trigram indexes', () => {
  it('indexes the trigrams of each text-like field search matches, unique or not', () => {
    expect(trigramNames(customer)).toEqual(['customer_name_trgm', 'customer_code_trgm'])
  })

  it('leaves child entities out: search never matches their rows', () => {
    const line: Entity = { ...customer, id: 'customerLine', childOf: 'customer' }
    expect(trigramNames(line)).toEqual([])
  })

  it('renders a GIN index with the trigram operator class', () => {
    const spec = buildIndexSpecs(customer).find((s) => s.name === 'customer_name_trgm')!
    expect(dialect.sqlToQuery(buildCreateIndex(customer, spec)).sql).toBe(
      'create index if not exists "customer_name_trgm" on "app"."customer" using gin ("name" gin_trgm_ops)',
    )
  })

  it('plans a btree and a trigram index for a field that becomes searched', () => {
    const next = { ...customer, searchFields: [...customer.searchFields!, 'phone'] }
    const { plan } = buildSchemaPlan([customer], [next])
    expect(plan.steps.map((s) => s.description)).toEqual([
      'index customer_phone_id_idx',
      'index customer_phone_trgm',
    ])
  })

  it('drops the trigram index of a field no longer searched, keeping its other indexes', () => {
    const next = { ...customer, searchFields: ['employees'] }
    const { plan } = buildSchemaPlan([customer], [next])
    expect(plan.steps.map((s) => s.description)).toEqual([
      'drop index customer_code_trgm of customer',
    ])
  })

  it('leaves trigram indexes out where pg_trgm is missing, the other indexes kept', () => {
    const names = buildIndexSpecs(customer, { trigram: false }).map((s) => s.name)
    expect(names.filter((n) => n.endsWith('_trgm'))).toEqual([])
    expect(names).toContain('customer_name_id_idx')
    const existing = { sequences: [], indexes: [], trigram: false }
    const { plan } = buildSchemaPlan([], [customer], existing)
    expect(plan.steps.filter((s) => s.description.includes('trgm'))).toEqual([])
  })

  it('names the field of a single-field index step, for errors to point at', () => {
    const { plan } = buildSchemaPlan([], [customer])
    expect(plan.steps.find((s) => s.description === 'unique index customer_code_key')?.field).toBe(
      'code',
    )
  })
})

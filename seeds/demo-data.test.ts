import { describe, expect, it } from 'vitest'
import type { Entity } from '../metadata/entity'
import type { Field } from '../metadata/field'
import { evaluateRule, isTruthy } from '../runtime/rules'
import { DEMO_ENTITY_ORDER, generateDemoData, type DemoRecord } from './demo-data'
import { DEMO_APPROVALS, plannedPendingCounts } from './demo/approval-plan'
import {
  DEMO_COMPANY,
  DEMO_DEPARTMENTS,
  DEMO_PEOPLE,
  DEMO_WORKERS,
  demoDepartmentOf,
  demoUsernameOf,
} from './demo/people'
import { loadSeedBundle } from './load-seed-packages'

const bundle = loadSeedBundle()
const entities = new Map(bundle.entities.map((e) => [e.id, e]))
const data = generateDemoData(1)
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const LEFT_TO_SERVER = new Set(['autoNumber', 'formula', 'user', 'department'])
const USERNAMES = new Set(DEMO_PEOPLE.map((p) => p.username))
const DEPARTMENTS = new Set([DEMO_COMPANY, ...DEMO_DEPARTMENTS.map((d) => d.name)])

/** Whether a user or department field's value names a demo person or department. */
function namesDemoOrg(field: Field, value: unknown): boolean {
  if (field.type === 'user') return USERNAMES.has(demoUsernameOf(value) ?? '')
  if (field.type === 'department') return DEPARTMENTS.has(demoDepartmentOf(value) ?? '')
  return false
}

/** The usernames a user field of an entity's demo records names. */
function usersIn(entityId: string, field: string): string[] {
  return data.get(entityId)!.map((r) => demoUsernameOf(r[field]) ?? '')
}

/** Every stored record with its entity, child lines included. */
function allRecords(): { entity: Entity; record: Record<string, unknown> }[] {
  return [...data].flatMap(([id, records]) => {
    const entity = entities.get(id)!
    return records.flatMap((record) => [
      { entity, record },
      ...entity.fields
        .filter((f) => f.type === 'childTable')
        .flatMap((f) =>
          ((record[f.name] ?? []) as Record<string, unknown>[]).map((line) => ({
            entity: entities.get(f.entity!)!,
            record: line,
          })),
        ),
    ])
  })
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
}

/** Whether a value has the in-memory shape of its field type (see the value conventions). */
function hasShape(field: Field, value: unknown): boolean {
  switch (field.type) {
    case 'integer':
      return Number.isInteger(value)
    case 'decimal':
    case 'percent':
      return typeof value === 'number'
    case 'boolean':
      return typeof value === 'boolean'
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
    case 'datetime':
      return typeof value === 'string' && new Date(value).toISOString() === value
    case 'money':
      return (
        typeof (value as { amount: unknown }).amount === 'number' &&
        /^[A-Z]{3}$/.test((value as { currency: string }).currency)
      )
    case 'select':
      return field.options!.some((o) => o.value === value)
    case 'multiSelect':
      return Array.isArray(value) && value.every((v) => field.options!.some((o) => o.value === v))
    case 'reference':
      return typeof value === 'string' && UUID_V4.test(value)
    case 'childTable':
      return Array.isArray(value)
    case 'email':
      return typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[a-z.]+$/.test(value)
    case 'url':
      return typeof value === 'string' && /^https:\/\//.test(value)
    case 'json':
      return true
    default:
      return typeof value === 'string' && value.length <= (field.maxLength ?? 255)
  }
}

describe('generateDemoData', () => {
  it('gives the same records, ids included, for the same scale and seed', () => {
    expect(generateDemoData(0.2, 7)).toEqual(generateDemoData(0.2, 7))
    expect(generateDemoData(0.2, 7).get('customer')).not.toEqual(
      generateDemoData(0.2, 8).get('customer'),
    )
  })

  it('makes about 200 customers and 50 products at scale 1, and fewer at smaller scales', () => {
    expect(data.get('customer')).toHaveLength(200)
    expect(data.get('product')).toHaveLength(50)
    expect(generateDemoData(0.1).get('customer')).toHaveLength(20)
    for (const id of DEMO_ENTITY_ORDER) expect(data.get(id)!.length, id).toBeGreaterThan(0)
  })

  it('lists its entities in DEMO_ENTITY_ORDER, covering every top-level entity', () => {
    expect([...data.keys()]).toEqual([...DEMO_ENTITY_ORDER])
    expect([...DEMO_ENTITY_ORDER].sort()).toEqual(
      bundle.entities
        .filter((e) => !e.childOf)
        .map((e) => e.id)
        .sort(),
    )
  })

  it('gives every record a unique version-4 uuid', () => {
    const ids = [...data.values()].flat().map((r) => r.id)
    for (const id of ids) expect(id).toMatch(UUID_V4)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('points every reference at a record made earlier in insertion order', () => {
    const seen = new Map<string, Set<string>>()
    for (const id of DEMO_ENTITY_ORDER) {
      seen.set(id, new Set())
      for (const record of data.get(id)!) {
        for (const { entity, record: row } of [
          { entity: entities.get(id)!, record },
          ...linesOf(id, record),
        ]) {
          for (const field of entity.fields.filter((f) => f.type === 'reference')) {
            const value = row[field.name]
            if (isEmpty(value)) continue
            expect(
              seen.get(field.entity!)?.has(value as string),
              `${entity.id}.${field.name}`,
            ).toBe(true)
          }
        }
        seen.get(id)!.add(record.id)
      }
    }
  })

  it('fills only fields of the entity, with values of the right shape, leaving server-made ones out', () => {
    // Problems are collected, not asserted one by one: tens of thousands of values are checked.
    const problems: string[] = []
    for (const { entity, record } of allRecords()) {
      const fields = new Map(entity.fields.map((f) => [f.name, f]))
      for (const [key, value] of Object.entries(record)) {
        if (key === 'id' && !entity.childOf) continue
        const field = fields.get(key)
        if (!field) problems.push(`${entity.id}.${key}: no such field`)
        else if (namesDemoOrg(field, value)) continue
        else if (LEFT_TO_SERVER.has(field.type) || field.readOnly)
          problems.push(`${entity.id}.${key}: left to the server`)
        else if (!isEmpty(value) && !hasShape(field, value))
          problems.push(`${entity.id}.${key} = ${JSON.stringify(value)}: wrong shape`)
      }
    }
    expect(problems).toEqual([])
  })

  it('fills every required field, by definition or by form rule', () => {
    for (const { entity, record } of allRecords()) {
      const form = bundle.forms.find((f) => f.id === entity.id)!
      const ruled = new Map(
        form.tabs
          .flatMap((t) => t.sections.flatMap((s) => s.fields))
          .map((f) => [f.field, f.required]),
      )
      for (const field of entity.fields.filter((f) => !LEFT_TO_SERVER.has(f.type))) {
        const rule = ruled.get(field.name)
        const required =
          field.required || (rule !== undefined && isTruthy(evaluateRule(rule, record)))
        if (required) expect(isEmpty(record[field.name]), `${entity.id}.${field.name}`).toBe(false)
      }
    }
  })

  it('fills what each flow asks on the way into the state a record sits in (a lost deal names its competitor)', () => {
    for (const flow of bundle.flows ?? []) {
      for (const record of data.get(flow.entity) ?? []) {
        const state = record[flow.stateField]
        const into = flow.transitions.filter((t) => t.to === state)
        if (!into.length || flow.states.find((s) => s.id === state)?.initial) continue
        // Fields every way in asks for: the record came through one of them.
        const asked = (into[0].requires ?? []).filter((f) =>
          into.every((t) => t.requires?.includes(f)),
        )
        for (const field of asked)
          expect(isEmpty(record[field]), `${flow.id} ${state}: ${field}`).toBe(false)
      }
    }
    const lost = (data.get('opportunity') ?? []).filter((r) => r.stage === 'lost')
    expect(lost.length).toBeGreaterThan(0)
    for (const deal of lost.filter((r) => r.lostReason === 'competitor'))
      expect(['无', '없음', 'none']).not.toContain(deal.competitor)
  })

  it('publishes each announcement once: no title repeated with a (2) to pad a count', () => {
    const titles = (data.get('announcement') ?? []).map((a) => String(a.title))
    expect(titles.length).toBeGreaterThan(3)
    expect(new Set(titles).size).toBe(titles.length)
    expect(titles.filter((t) => / \(\d+\)$/.test(t))).toEqual([])
  })

  it('passes every validation rule of its entity', () => {
    for (const { entity, record } of allRecords()) {
      for (const validation of entity.validations ?? []) {
        expect(
          isTruthy(evaluateRule(validation.rule, record)),
          `${entity.id}.${validation.id} ${JSON.stringify(record)}`,
        ).toBe(true)
      }
    }
  })

  it('keeps blocking de-duplication keys and unique fields unique', () => {
    const normalise = (v: unknown) =>
      String(v ?? '')
        .trim()
        .toLowerCase()
    for (const [id, records] of data) {
      const entity = entities.get(id)!
      const keys = [
        ...(entity.dedup ?? []).filter((d) => d.action === 'block').map((d) => d.fields),
        ...entity.fields
          .filter((f) => f.unique && !LEFT_TO_SERVER.has(f.type))
          .map((f) => [f.name]),
      ]
      for (const fields of keys) {
        const values = records.map((r) => fields.map((f) => normalise(r[f])).join('|'))
        expect(new Set(values).size, `${id} ${fields}`).toBe(values.length)
      }
    }
  })

  it('gives every demo login exactly one personnel file, in its platform department', () => {
    const employees = data.get('employee')!
    expect(usersIn('employee', 'account').sort()).toEqual([...USERNAMES].sort())
    for (const person of DEMO_PEOPLE) {
      const file = employees.find((e) => demoUsernameOf(e.account) === person.username)!
      expect(demoDepartmentOf(file.department)).toBe(person.department ?? DEMO_COMPANY)
      expect(file.name).toBe(person.displayName)
    }
  })

  it('gives the work to the people whose work it is', () => {
    for (const [entity, field] of [
      ['ticket', 'assignee'],
      ['dispatch', 'engineer'],
      ['complaint', 'owner'],
      ['returnVisit', 'owner'],
      ['knowledgeArticle', 'author'],
    ])
      expect(new Set(usersIn(entity, field)), entity).toEqual(new Set(DEMO_WORKERS.service))
    expect(new Set(usersIn('announcement', 'author'))).toEqual(new Set(DEMO_WORKERS.hr))
    // Leave, claims and schedules are everyone's own: every applicant is a demo login.
    for (const [entity, field] of [
      ['leaveRequest', 'applicant'],
      ['expenseClaim', 'applicant'],
      ['scheduleItem', 'owner'],
    ])
      for (const username of usersIn(entity, field)) expect(USERNAMES.has(username)).toBe(true)
    expect(new Set(usersIn('scheduleItem', 'owner'))).toEqual(USERNAMES)
  })

  it('keeps payments and invoices of an order within the total its formula computes', () => {
    const order = entities.get('salesOrder')!
    const totalRule = order.fields.find((f) => f.name === 'total')!.formula!
    for (const salesOrder of data.get('salesOrder')!) {
      const total = evaluateRule(totalRule, salesOrder) as number
      for (const kind of ['payment', 'invoice']) {
        const sum = data
          .get(kind)!
          .filter((r) => r.salesOrder === salesOrder.id)
          .reduce((s, r) => s + (r.amount as { amount: number }).amount, 0)
        expect(sum, `${kind} of ${salesOrder.id}`).toBeLessThanOrEqual(total + 0.01)
      }
    }
  })
})

function linesOf(
  entityId: string,
  record: DemoRecord,
): { entity: Entity; record: Record<string, unknown> }[] {
  return entities
    .get(entityId)!
    .fields.filter((f) => f.type === 'childTable')
    .flatMap((f) =>
      ((record[f.name] ?? []) as Record<string, unknown>[]).map((line) => ({
        entity: entities.get(f.entity!)!,
        record: line,
      })),
    )
}

describe('DEMO_APPROVALS', () => {
  it('submits each record from its flow’s initial state and leaves it where its flow says', () => {
    for (const plan of DEMO_APPROVALS) {
      const flow = (bundle.flows ?? []).find((f) => f.entity === plan.entity)!
      const submit = flow.transitions.find((t) => t.id === 'submit')!
      expect(submit.approval, plan.key).toBeDefined()
      const initial = flow.states.find((s) => s.initial)!.id
      expect(submit.from, plan.key).toContain(initial)
      const { pending, rejected } = submit.approval!
      const rejectedAtEnd = plan.decisions.at(-1)?.action === 'reject'
      const expected = plan.waitsFor ? pending : rejectedAtEnd ? rejected : submit.to
      expect(plan.endsIn, plan.key).toBe(expected)
      // Decisions come after the submission, in order.
      const times = [plan.hoursAgo, ...plan.decisions.map((d) => d.hoursAgo)]
      expect(
        [...times].sort((a, b) => b - a),
        plan.key,
      ).toEqual(times)
      expect(USERNAMES.has(plan.submitter), plan.key).toBe(true)
    }
  })

  it('gives managers, the director, HR and finance a few pending tasks, the reps none', () => {
    expect(Object.fromEntries(plannedPendingCounts())).toEqual({
      mgr_east: 4,
      director: 1,
      mgr_west: 2,
      hr1: 1,
      fin1: 2,
    })
    const ended = DEMO_APPROVALS.filter((a) => a.waitsFor === null).map((a) => a.endsIn)
    expect(ended.sort()).toEqual(['approved', 'notApproved'])
  })
})

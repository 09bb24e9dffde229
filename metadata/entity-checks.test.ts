import { describe, expect, it } from 'vitest'
import type { Entity } from './entity'
import { customerEntity } from './test-fixtures'
import { validateDefinition } from './validate'

function issuesOf(change: (entity: Entity) => void) {
  const entity = customerEntity()
  change(entity)
  return validateDefinition('entity', entity)
}

const at = (name: string) => customerEntity().fields.findIndex((f) => f.name === name)

describe('validateDefinition beyond the schema of an entity', () => {
  it('rejects a titleField that names no field', () => {
    expect(issuesOf((e) => (e.titleField = 'fullName'))).toEqual([
      { path: 'titleField', message: "no field 'fullName' in entity 'customer'" },
    ])
  })

  it('rejects duplicate field names and ids', () => {
    const issues = issuesOf((e) => {
      e.fields[1].name = 'name'
      e.fields[3].id = 'rating'
    })
    expect(issues).toContainEqual({
      path: 'fields[1].name',
      message: "duplicate field name 'name'",
    })
    expect(issues).toContainEqual({ path: 'fields[4].id', message: "duplicate field id 'rating'" })
  })

  it('rejects a field named like a system column', () => {
    expect(issuesOf((e) => (e.fields[1].name = 'createdAt'))).toEqual([
      { path: 'fields[1].name', message: "'createdAt' is a system column name" },
    ])
  })

  it('requires the owner field to be a user field', () => {
    expect(issuesOf((e) => (e.ownerField = 'name'))).toEqual([
      { path: 'ownerField', message: "'name' must be a user field" },
    ])
  })

  it('checks subtitle fields: named fields of a one-line type', () => {
    const issues = issuesOf((e) => (e.subtitleFields = ['code', 'nickname', 'tags']))
    expect(issues).toEqual([
      { path: 'subtitleFields[1]', message: "no field 'nickname' in entity 'customer'" },
      {
        path: 'subtitleFields[2]',
        message: "'tags' is a multiSelect field; a subtitle shows one line of text",
      },
    ])
  })

  it('checks the fields named by search, dedup, validations and indexes', () => {
    const issues = issuesOf((e) => {
      e.searchFields = ['name', 'nickname']
      e.dedup![0].fields = ['contacts']
      e.validations![0].field = 'discont'
      e.indexes![0].fields = ['owner', 'updatedAt', 'region']
    })
    expect(issues.map((i) => i.path)).toEqual([
      'searchFields[1]',
      'dedup[0].fields[0]',
      'validations[0].field',
      'indexes[0].fields[2]',
    ])
  })

  it('rejects duplicate option values and a default that is not an option', () => {
    const level = at('level')
    const issues = issuesOf((e) => {
      e.fields[level].options![1].value = 'a'
    })
    expect(issues).toEqual([
      { path: `fields[${level}].options[1].value`, message: "duplicate option value 'a'" },
      { path: `fields[${level}].default`, message: 'must be one of the option values' },
    ])
  })

  it('requires one counter in an auto-number pattern', () => {
    const code = at('code')
    expect(issuesOf((e) => (e.fields[code].pattern = 'C-{YYYY}'))).toEqual([
      {
        path: `fields[${code}].pattern`,
        message: 'must contain exactly one counter such as {####}',
      },
    ])
    expect(issuesOf((e) => (e.fields[code].pattern = '{Q}-{###}'))).toEqual([
      { path: `fields[${code}].pattern`, message: expect.stringContaining('unknown token {Q}') },
    ])
  })

  it('rejects properties that do not belong to the field type', () => {
    expect(issuesOf((e) => (e.fields[0].options = [{ value: 'x', label: { en: 'X' } }]))).toEqual([
      { path: 'fields[0].options', message: 'is only allowed on select, multiSelect fields' },
    ])
  })

  it('rejects min above max', () => {
    expect(issuesOf((e) => (e.fields[at('rating')].min = 9))).toEqual([
      { path: `fields[${at('rating')}].min`, message: 'must not be greater than max' },
    ])
  })

  it('limits formula and validation rules in depth and size', () => {
    let deep: unknown = { var: 'name' }
    for (let i = 0; i < 40; i++) deep = { '!': [deep] }
    const wide = { and: Array.from({ length: 2100 }, () => true) }
    const issues = issuesOf((e) => {
      e.fields[at('displayName')].formula = deep as never
      e.validations![0].rule = wide
    })
    expect(issues).toEqual([
      {
        path: `fields[${at('displayName')}].formula`,
        message: 'rule is nested more than 32 levels deep',
      },
      { path: 'validations[0].rule', message: 'rule has more than 2000 nodes' },
    ])
  })
})

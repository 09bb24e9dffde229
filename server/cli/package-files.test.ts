import { describe, expect, it } from 'vitest'
import type { MetadataBundle } from '../../runtime/registry'
import { toKebabCase, toPackageFiles } from './package-files'

const label = { en: 'x' }
const bundle: MetadataBundle = {
  packages: [{ id: 'crm', version: '1.0.0', label }],
  entities: [
    {
      id: 'followUp',
      module: 'crm',
      version: 4,
      label,
      fields: [{ name: 'a', type: 'text', label }],
    },
    { id: 'memo', label, fields: [{ name: 'a', type: 'text', label }] },
  ],
  forms: [],
  views: [],
  roles: [],
}

describe('exported package files', () => {
  const files = toPackageFiles(bundle, (depth) => '../'.repeat(depth) + 'schemas/')
  const text = (path: string) => files.find((f) => f.path === path)?.text ?? ''

  it('writes one kebab-case file per definition, with its $schema line first and no version', () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      'crm/entities/follow-up.json',
      'crm/manifest.json',
      'local/entities/memo.json',
      'local/manifest.json',
    ])
    const followUp = JSON.parse(text('crm/entities/follow-up.json'))
    expect(Object.keys(followUp).slice(0, 2)).toEqual(['$schema', 'id'])
    expect(followUp.$schema).toBe('../../schemas/entity.schema.json')
    expect(followUp.version).toBeUndefined()
    expect(followUp.module).toBeUndefined()
    expect(toKebabCase('knowledgeArticle')).toBe('knowledge-article')
  })

  it('puts definitions of no package in a local package', () => {
    expect(JSON.parse(text('local/manifest.json'))).toMatchObject({ id: 'local', version: '1.0.0' })
  })
})

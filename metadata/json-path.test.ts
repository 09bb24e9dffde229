import { describe, expect, it } from 'vitest'
import { joinPath, toJsonPath } from './json-path'

describe('toJsonPath', () => {
  it('turns an ajv instance path into a JSON path', () => {
    expect(toJsonPath('/fields/2/type')).toBe('fields[2].type')
    expect(toJsonPath('')).toBe('')
  })

  it('quotes keys that are not identifiers', () => {
    expect(toJsonPath('/label/zh-CN')).toBe('label["zh-CN"]')
    expect(toJsonPath('/a~1b/c~0d')).toBe('["a/b"]["c~d"]')
  })

  it('joins a key onto an empty path without a leading dot', () => {
    expect(joinPath('', 'id')).toBe('id')
    expect(joinPath('tabs', 0)).toBe('tabs[0]')
  })
})

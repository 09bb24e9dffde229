import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isSchemaKind } from './schemas'
import { validateDefinition } from './validate'

const DOC = new URL('../docs/metadata.md', import.meta.url)
const EXAMPLE = /<!-- validate: ([a-z]+) -->\s*```json\n([\s\S]*?)\n```/g

/** Every example in docs/metadata.md marked with `<!-- validate: kind -->`. */
function examples(): { kind: string; json: string; at: number }[] {
  const text = readFileSync(DOC, 'utf8')
  return [...text.matchAll(EXAMPLE)].map((m) => ({ kind: m[1], json: m[2], at: m.index }))
}

describe('the examples in docs/metadata.md', () => {
  it('include one for every definition kind the page documents', () => {
    const kinds = new Set(examples().map((e) => e.kind))
    for (const kind of ['labels', 'rule', 'entity', 'form', 'view', 'package', 'flow']) {
      expect(kinds, kind).toContain(kind)
    }
  })

  it.each(examples())('are valid: $kind example at offset $at', ({ kind, json }) => {
    expect(isSchemaKind(kind)).toBe(true)
    expect(validateDefinition(kind as never, JSON.parse(json))).toEqual([])
  })
})

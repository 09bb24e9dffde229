import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { validateReferences } from './references'
import type { Dashboard } from './dashboard'
import type { Report } from './report'
import { reportBundle, reportEntities } from './report-fixtures'
import { isSchemaKind } from './schemas'
import type { Template } from './template'
import { validateDefinition } from './validate'

/** The pages whose `<!-- validate: kind -->` examples are checked. */
const PAGES = ['metadata.md', 'flows.md', 'reports.md', 'templates.md', 'files.md', 'dashboards.md']
const EXAMPLE = /<!-- validate: ([a-z]+) -->\s*```json\n([\s\S]*?)\n```/g

/** Every example marked with `<!-- validate: kind -->` in the pages. */
function examples(): { page: string; kind: string; json: string; at: number }[] {
  return PAGES.flatMap((page) => {
    const text = readFileSync(new URL(`../docs/${page}`, import.meta.url), 'utf8')
    return [...text.matchAll(EXAMPLE)].map((m) => ({ page, kind: m[1], json: m[2], at: m.index }))
  })
}

describe('the examples in docs/metadata.md, docs/flows.md and docs/reports.md', () => {
  it('include one for every definition kind the pages document', () => {
    const kinds = new Set(examples().map((e) => e.kind))
    const documented = ['labels', 'rule', 'entity', 'form', 'view', 'package', 'flow', 'report']
    for (const kind of [...documented, 'template', 'dashboard', 'extension']) {
      expect(kinds, kind).toContain(kind)
    }
    expect(examples().filter((e) => e.page === 'flows.md').length).toBeGreaterThanOrEqual(5)
    expect(examples().filter((e) => e.page === 'reports.md').length).toBeGreaterThanOrEqual(4)
    expect(examples().filter((e) => e.page === 'templates.md').length).toBeGreaterThanOrEqual(2)
    expect(examples().filter((e) => e.page === 'files.md').length).toBeGreaterThanOrEqual(1)
  })

  it.each(examples())('are valid: $kind example in $page at offset $at', ({ kind, json }) => {
    expect(isSchemaKind(kind)).toBe(true)
    expect(validateDefinition(kind as never, JSON.parse(json))).toEqual([])
  })

  it.each(examples().filter((e) => e.kind === 'report'))(
    'resolve against the customer and order entities: report in $page at offset $at',
    ({ json }) => {
      expect(validateReferences(reportBundle(JSON.parse(json) as Report))).toEqual([])
    },
  )

  it.each(examples().filter((e) => e.kind === 'template'))(
    'resolve against the sales order entities: template in $page at offset $at',
    ({ json }) => {
      const templates = [JSON.parse(json) as Template]
      const bundle = { ...reportBundle(), entities: reportEntities(), templates }
      expect(validateReferences(bundle)).toEqual([])
    },
  )

  it.each(examples().filter((e) => e.kind === 'dashboard'))(
    'resolve against the reports of docs/reports.md: dashboard in $page at offset $at',
    ({ json }) => {
      const reports = examples()
        .filter((e) => e.kind === 'report' && e.page === 'reports.md')
        .map((e) => JSON.parse(e.json) as Report)
      const dashboards = [JSON.parse(json) as Dashboard]
      expect(validateReferences({ ...reportBundle(...reports), dashboards })).toEqual([])
    },
  )
})

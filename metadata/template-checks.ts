import { validateUnique } from './duplicates'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { PAPER_MILLIMETRES, type Template, type TemplatePaper } from './template'
import { TEMPLATE_HELPERS, walkTemplate } from './template-ast'

const HELPERS: ReadonlySet<string> = new Set(TEMPLATE_HELPERS)
const MM_PER_UNIT: Record<string, number> = {
  mm: 1,
  cm: 10,
  in: 25.4,
  pt: 25.4 / 72,
  px: 25.4 / 96,
}

/** A CSS length of the schema's pattern in millimetres. */
export function toMillimetres(length: string | undefined, fallback = 15): number {
  const match = /^([0-9.]+)([a-z]+)$/.exec(length ?? '')
  return match ? Number(match[1]) * (MM_PER_UNIT[match[2]] ?? 1) : fallback
}

/** Handlebars' first line and its "Expecting …" line: enough to find the typo. */
function parseReason(error: unknown): string {
  const lines = error instanceof Error ? error.message.split('\n') : ['cannot be parsed']
  return [lines[0], lines.length > 1 ? lines.at(-1) : ''].join(' ').trim()
}

/** Each language parses, calls only known helpers and uses no partials or decorators. */
function bodyIssues(template: Template): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const [locale, source] of Object.entries(template.body)) {
    if (typeof source !== 'string') continue
    const at = joinPath('body', locale)
    const problems = new Set<string>()
    try {
      walkTemplate(source, {
        helper: (name) => {
          if (!HELPERS.has(name)) problems.add(`calls '${name}', which is no helper`)
        },
        path() {},
        enter() {},
        leave() {},
        forbidden: () => problems.add('may not use partials ({{> …}}) or decorators ({{* …}})'),
      })
    } catch (error) {
      problems.add(`not a template: ${parseReason(error)}`)
    }
    for (const message of problems) issues.push(toIssue(at, message))
  }
  return issues
}

/** The margins leave room to print: at least 50 mm across and down. */
function paperIssues(paper: TemplatePaper | undefined): MetadataIssue[] {
  if (!paper?.margin) return []
  const [short, long] = PAPER_MILLIMETRES[paper.size ?? 'A4']
  const [width, height] = paper.orientation === 'landscape' ? [long, short] : [short, long]
  const m = paper.margin
  const issues: MetadataIssue[] = []
  const across = width - toMillimetres(m.left) - toMillimetres(m.right)
  const down = height - toMillimetres(m.top) - toMillimetres(m.bottom)
  if (across < 50)
    issues.push(
      toIssue('paper.margin', `leaves ${Math.round(across)} mm across the page, less than 50`),
    )
  if (down < 50)
    issues.push(
      toIssue('paper.margin', `leaves ${Math.round(down)} mm down the page, less than 50`),
    )
  return issues
}

/**
 * Checks a print template beyond its schema: every language's body parses and calls only the
 * template helpers, the margins leave a page to print on, the style cannot close its own tag,
 * no include is listed twice. Fields and entities are checked across the bundle
 * (template-references.ts).
 */
export function validatePrintTemplate(template: Template): MetadataIssue[] {
  const issues = [...bodyIssues(template), ...paperIssues(template.paper)]
  if (template.style !== undefined && /<\/?style/i.test(template.style))
    issues.push(toIssue('style', 'is CSS only: it may not open or close a <style> tag'))
  issues.push(
    ...validateUnique(
      template.include,
      (p) => p,
      (i) => `include[${i}]`,
      'include',
    ),
  )
  return issues
}

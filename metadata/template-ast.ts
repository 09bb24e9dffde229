import Handlebars from 'handlebars'

/*
 * The parts of a handlebars syntax tree a print template check reads: which helpers it calls,
 * which data paths it names and in which block. Pure: the text is parsed, never run.
 */

/** Helpers a template may call: handlebars' own blocks and the runtime's formatting helpers. */
export const TEMPLATE_HELPERS = [
  'if',
  'unless',
  'each',
  'with',
  'lookup',
  'is',
  'formatDate',
  'formatDateTime',
  'formatNumber',
  'formatMoney',
  'formatPercent',
] as const

/** A data path as the template wrote it: `../` climbs, `@root.` starts at the top. */
export interface TemplatePath {
  parts: string[]
  /** Number of `../` before it. */
  depth: number
  /** `@root.…` */
  fromRoot: boolean
  /** `@index`, `@key`, `@first`… : data variables, never checked. */
  dataVariable: boolean
  original: string
}

/** Callbacks of `walkTemplate`. */
export interface TemplateVisitor {
  /** A helper call (`{{formatMoney …}}`, `{{#each …}}`). */
  helper(name: string): void
  /** A data path read in the current block. */
  path(path: TemplatePath): void
  /** A block opens with its helper and first argument (`#each record.lines`). */
  enter(helper: string, argument: TemplatePath | undefined): void
  leave(): void
  /** A partial or decorator, which templates may not use. */
  forbidden(what: string): void
}

interface Node {
  type: string
  path?: Node
  params?: Node[]
  hash?: { pairs: { value: Node }[] }
  program?: Node | null
  inverse?: Node | null
  body?: Node[]
  parts?: string[]
  depth?: number
  data?: boolean
  original?: string
}

/** Parses a template; throws handlebars' own error when it does not parse. */
export function parseTemplate(source: string): Node {
  return Handlebars.parse(source) as unknown as Node
}

function toPath(node: Node): TemplatePath {
  const parts = node.parts ?? []
  const data = node.data === true
  return {
    parts: data && parts[0] === 'root' ? parts.slice(1) : parts,
    depth: node.depth ?? 0,
    fromRoot: data && parts[0] === 'root',
    dataVariable: data && parts[0] !== 'root',
    original: node.original ?? parts.join('.'),
  }
}

function visitExpression(node: Node | undefined, visitor: TemplateVisitor): void {
  if (!node) return
  if (node.type === 'PathExpression') visitor.path(toPath(node))
  else if (node.type === 'SubExpression') visitCall(node, visitor)
}

/** A call with arguments: its path names a helper, its arguments are data. */
function visitCall(node: Node, visitor: TemplateVisitor): void {
  const hasArguments = (node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0
  const name = node.path?.type === 'PathExpression' ? (node.path.original ?? '') : ''
  if (hasArguments || node.type !== 'MustacheStatement') visitor.helper(name)
  else visitExpression(node.path, visitor)
  for (const param of node.params ?? []) visitExpression(param, visitor)
  for (const pair of node.hash?.pairs ?? []) visitExpression(pair.value, visitor)
}

function visitNode(node: Node | null | undefined, visitor: TemplateVisitor): void {
  if (!node) return
  if (/Partial|Decorator/.test(node.type)) return visitor.forbidden(node.type)
  if (node.type === 'MustacheStatement' || node.type === 'SubExpression') {
    // `{{name}}` alone reads data (or calls a helper without arguments, which none of ours takes).
    return visitCall(node, visitor)
  }
  if (node.type === 'BlockStatement') {
    const name = node.path?.original ?? ''
    visitor.helper(name)
    node.params?.forEach((p) => visitExpression(p, visitor))
    node.hash?.pairs.forEach((p) => visitExpression(p.value, visitor))
    const first = node.params?.[0]
    visitor.enter(name, first?.type === 'PathExpression' ? toPath(first) : undefined)
    visitNode(node.program, visitor)
    visitor.leave()
    // An {{else}} part runs in the outer context.
    visitNode(node.inverse, visitor)
    return
  }
  for (const child of node.body ?? []) visitNode(child, visitor)
}

/** Walks a parsed template, calling the visitor for helpers, paths and blocks in order. */
export function walkTemplate(source: string, visitor: TemplateVisitor): void {
  visitNode(parseTemplate(source), visitor)
}

import Handlebars from 'handlebars'
import { DefinitionError, ValidationError, type Issue } from '../errors'
import { FORMAT_HELPERS, type FormatScope } from './format-helpers'

/**
 * Handlebars for alert and print templates, in an environment of its own: only the built-in
 * block helpers and the formatting helpers, no partials, no decorators, and no way to reach a
 * property an object inherits (`constructor`, `__proto__`, prototype methods) — the runtime
 * options below say so explicitly, whatever a later handlebars defaults to.
 */
const env = Handlebars.create()
env.unregisterHelper('log') // writes to the server's console: not a template's business
for (const [name, format] of Object.entries(FORMAT_HELPERS)) {
  env.registerHelper(name, (...args: unknown[]) => {
    const options = args.pop() as { data?: Partial<FormatScope> }
    const scope = {
      locale: options.data?.locale ?? 'en',
      timeZone: options.data?.timeZone ?? 'UTC',
    }
    return format(args[0], scope, args[1])
  })
}

// `(is value "a" "b")`: whether a value is one of the given ones, for `#if` (a draft's mark).
env.registerHelper('is', (...args: unknown[]) => {
  const [value, ...choices] = args.slice(0, -1)
  return choices.some((c) => c === value)
})

const KNOWN_HELPERS = Object.fromEntries(
  ['if', 'unless', 'each', 'with', 'lookup', 'is', ...Object.keys(FORMAT_HELPERS)].map((n) => [
    n,
    true,
  ]),
)

/** No inherited property is reachable from a template, even one someone allows by name. */
const RUNTIME_OPTIONS = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowedProtoProperties: {},
  allowedProtoMethods: {},
} as const

/** Longest template source accepted (characters). */
export const MAX_TEMPLATE_SOURCE = 64 * 1024
/** Longest rendered output accepted (characters). */
export const MAX_TEMPLATE_OUTPUT = 256 * 1024

/** How to render: the reader's locale and zone; `html` escapes values, `text` (mail text, SMS, chat) does not. */
export interface RenderOptions {
  locale: string
  timeZone: string
  format?: 'html' | 'text'
  maxOutput?: number
}

type Compiled = (data: unknown, options: object) => string
const compiled = new Map<string, Compiled>()
const CACHE_LIMIT = 500

/**
 * Renders a handlebars template over `data` for one reader. Compiled templates are kept by
 * source, so a batch of alerts compiles each template once. A bad template or an output past
 * the limit throws `DefinitionError`; a bad locale or time zone throws `ValidationError`.
 * @example
 * renderTemplate('Quote {{code}} expires {{formatDate validUntil}}', record, {
 *   locale: 'zh-CN', timeZone: 'Asia/Shanghai', format: 'text',
 * })
 */
export function renderTemplate(source: string, data: unknown, options: RenderOptions): string {
  const scope = toScope(options)
  const template = compileTemplate(source, options.format ?? 'html')
  let output: string
  try {
    output = template(data ?? {}, { data: scope, ...RUNTIME_OPTIONS })
  } catch (error) {
    throw new DefinitionError('The template could not be rendered', [
      { path: 'template', message: (error as Error).message },
    ])
  }
  const max = options.maxOutput ?? MAX_TEMPLATE_OUTPUT
  if (output.length > max) {
    throw new DefinitionError('The rendered template is too long', [
      { path: 'template', message: `renders ${output.length} characters, more than ${max}` },
    ])
  }
  return output
}

/** Problems with a template source (syntax, size, partials, unknown helpers); [] when it is fine. */
export function validateTemplate(source: string): Issue[] {
  try {
    compileTemplate(source, 'text')
    return []
  } catch (error) {
    if (error instanceof DefinitionError) return error.details
    throw error
  }
}

function toScope({ locale, timeZone }: RenderOptions): FormatScope {
  if (!isLocale(locale)) throw badScope('locale', locale)
  try {
    if (typeof timeZone !== 'string') throw new RangeError('no time zone')
    new Intl.DateTimeFormat(locale, { timeZone })
  } catch {
    throw badScope('timeZone', timeZone)
  }
  return { locale, timeZone }
}

function isLocale(locale: unknown): locale is string {
  try {
    return typeof locale === 'string' && Intl.getCanonicalLocales(locale).length === 1
  } catch {
    return false
  }
}

function badScope(path: 'locale' | 'timeZone', value: unknown): ValidationError {
  return new ValidationError(`Unknown ${path}`, [
    { path, message: `'${String(value)}' is not a valid ${path}` },
  ])
}

function compileTemplate(source: string, format: 'html' | 'text'): Compiled {
  const key = `${format}\u0000${source}`
  const hit = compiled.get(key)
  if (hit) return hit
  if (typeof source !== 'string') throw templateError('must be a string')
  if (source.length > MAX_TEMPLATE_SOURCE) {
    throw templateError(`is ${source.length} characters long, more than ${MAX_TEMPLATE_SOURCE}`)
  }
  let template: Compiled
  try {
    const ast = env.parse(source)
    assertNoPartials(ast)
    const options = {
      noEscape: format === 'text',
      knownHelpers: KNOWN_HELPERS,
      knownHelpersOnly: true,
    }
    template = env.compile(ast, options) as Compiled
    // handlebars compiles on first use; do it now so a bad template fails here, with its message.
    template({}, { data: { locale: 'en', timeZone: 'UTC' }, ...RUNTIME_OPTIONS })
  } catch (error) {
    if (error instanceof DefinitionError) throw error
    throw templateError((error as Error).message.split('\n')[0])
  }
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
  compiled.set(key, template)
  return template
}

interface AstNode {
  type: string
  body?: AstNode[]
  program?: AstNode | null
  inverse?: AstNode | null
}

/** Partials and decorators would reach code and templates outside this one: refused. */
function assertNoPartials(node: AstNode | null | undefined): void {
  if (!node) return
  if (/Partial|Decorator/.test(node.type)) {
    throw templateError('may not use partials ({{> …}}) or decorators ({{* …}})')
  }
  for (const child of node.body ?? []) assertNoPartials(child)
  assertNoPartials(node.program)
  assertNoPartials(node.inverse)
}

function templateError(message: string): DefinitionError {
  return new DefinitionError('The template is not valid', [{ path: 'template', message }])
}

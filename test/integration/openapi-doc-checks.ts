import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/** One operation of the document, as far as the checks read it. */
export interface Operation {
  tags?: string[]
  operationId?: string
  security?: unknown[]
  parameters?: unknown[]
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  responses: Record<string, unknown>
}

/** The served document, as far as the checks read it. */
export interface Doc {
  openapi: string
  tags: { name: string }[]
  paths: Record<string, Record<string, Operation>>
  components: {
    schemas: Record<string, unknown>
    securitySchemes: Record<string, unknown>
    responses: Record<string, unknown>
    parameters: Record<string, unknown>
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
const COMPONENTS_ID = 'https://trellis.test/components'

/** Every operation of the document with its method and path. */
export function operationsOf(doc: Doc): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  )
}

/** Every `$ref` in the document, with where it sits. */
export function collectRefs(node: unknown, at = '#', out: [string, string][] = []) {
  if (Array.isArray(node)) node.forEach((n, i) => collectRefs(n, `${at}/${i}`, out))
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push([at, v])
      else collectRefs(v, `${at}/${k}`, out)
    }
  }
  return out
}

/** The node a local `#/…` pointer names, or undefined. */
export function pointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      doc,
    )
}

/** A parameter or response object with its `$ref` (if any) followed. */
export function deref<T>(doc: Doc, node: unknown): T {
  const target = (node as { $ref?: string }).$ref
  return (target ? pointer(doc, target) : node) as T
}

/**
 * Closes every object schema that lists its properties (outside `allOf`, whose branches see only
 * their own), so a response check also fails on a field the document does not describe.
 * Components are closed too: a response that extends a component through `allOf` cannot be
 * checked this way.
 */
function closeObjects(node: unknown, inAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n, inAllOf))
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) out[k] = closeObjects(v, k === 'allOf')
  const open = !('additionalProperties' in out) && !('unevaluatedProperties' in out)
  if (!inAllOf && open && out.type === 'object' && out.properties) out.unevaluatedProperties = false
  return out
}

/**
 * An ajv (2020-12, strict) that knows the document's component schemas, and compiles any schema
 * of the document against them. `closed` also refuses properties the schemas do not list.
 */
export function schemaCompiler(doc: Doc, options: { closed?: boolean } = {}) {
  const rewrite = (schema: unknown) => {
    const json = JSON.stringify(schema).replaceAll(
      '#/components/schemas/',
      `${COMPONENTS_ID}#/$defs/`,
    )
    const parsed = JSON.parse(json) as unknown
    return options.closed ? closeObjects(parsed) : parsed
  }
  const ajv = new Ajv2020({ strict: true, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewrite(doc.components.schemas) })
  const cache = new Map<unknown, ValidateFunction>()
  return (schema: unknown): ValidateFunction => {
    let validate = cache.get(schema)
    if (!validate) {
      validate = ajv.compile(rewrite(schema) as object)
      cache.set(schema, validate)
    }
    return validate
  }
}

type ResponseObject = { content?: Record<string, { schema?: unknown }> }

/**
 * Checks a real response against the document: its status must be documented for the operation,
 * a documented JSON body must match its schema (closed objects) and its content type must be one
 * the document names. Answers the problems found; none means it matches.
 * @example expect(await check('get', '/api/admin/users', res)).toEqual([])
 */
export function responseChecker(doc: Doc) {
  const compile = schemaCompiler(doc, { closed: true })
  return async (method: string, path: string, res: Response): Promise<string[]> => {
    const where = `${method.toUpperCase()} ${path} → ${res.status}`
    const op = doc.paths[path]?.[method]
    if (!op) return [`${method.toUpperCase()} ${path} is not documented`]
    const documented = op.responses[String(res.status)]
    // A clone: the caller may still read the body.
    const text = await res.clone().text()
    if (!documented) return [`${where}: status not documented (${text})`]
    const { content } = deref<ResponseObject>(doc, documented)
    if (!content) return text ? [`${where}: documented without a body, got ${text}`] : []
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim()
    if (!(type in content)) return [`${where}: content type ${type} not documented`]
    if (type !== 'application/json') return []
    const validate = compile(content[type].schema)
    if (validate(JSON.parse(text))) return []
    return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message}`)
  }
}

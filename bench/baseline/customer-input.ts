/** What a write may set on a customer, with the type each value must have. */
const FIELDS: Record<string, 'text' | 'uuid' | 'integer'> = {
  name: 'text',
  phone: 'text',
  email: 'text',
  website: 'text',
  industry: 'text',
  level: 'text',
  region: 'text',
  source: 'text',
  status: 'text',
  address: 'text',
  notes: 'text',
  owner: 'uuid',
  employees: 'integer',
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A field-named problem, like the 4xx bodies Trellis answers with. */
export interface InputIssue {
  path: string
  message: string
}

/**
 * Minimal hand-written validation: known fields only, right primitive type, name required and
 * at most 200 characters. Returns the column values (camelCase; postgres.js maps them) or issues.
 */
export function readCustomerInput(
  body: unknown,
  partial: boolean,
): { values: Record<string, unknown> } | { issues: InputIssue[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { issues: [{ path: '', message: 'must be a JSON object' }] }
  }
  const issues: InputIssue[] = []
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'version') continue
    const type = FIELDS[key]
    if (!type) issues.push({ path: key, message: 'unknown field' })
    else if (value === null) values[key] = null
    else if (type === 'text' && typeof value !== 'string')
      issues.push({ path: key, message: 'must be text' })
    else if (type === 'uuid' && !(typeof value === 'string' && UUID.test(value)))
      issues.push({ path: key, message: 'must be a user id' })
    else if (type === 'integer' && !Number.isInteger(value))
      issues.push({ path: key, message: 'must be an integer' })
    else values[key] = value
  }
  const name = values.name
  if ((!partial || 'name' in values) && (typeof name !== 'string' || !name.trim())) {
    issues.push({ path: 'name', message: 'is required' })
  } else if (typeof name === 'string' && name.length > 200) {
    issues.push({ path: 'name', message: 'at most 200 characters' })
  }
  if (!partial && values.status === undefined) values.status = 'active'
  return issues.length ? { issues } : { values }
}

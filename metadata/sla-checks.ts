import { validateUnique } from './duplicates'
import { toIssue, type MetadataIssue } from './issue'
import type { Sla, SlaDuration } from './sla'

/** Business minutes of a duration. */
export function toMinutes(d: SlaDuration): number {
  return (d.hours ?? 0) * 60 + (d.minutes ?? 0)
}

/**
 * The problems of an SLA a schema cannot see, each at its path: repeated policy ids, a policy
 * without targets or with a zero target, a status both paused and resolved, a field written
 * twice, a catch-all policy that hides the ones after it.
 * @example validateSla(sla) // [{ path: 'policies[1].resolution', message: 'must be longer than 0' }]
 */
export function validateSla(sla: Sla): MetadataIssue[] {
  const issues = validateUnique(
    sla.policies,
    (p) => p.id,
    (i) => `policies[${i}].id`,
    'policy id',
  )
  sla.policies.forEach((p, i) => {
    const path = `policies[${i}]`
    if (!p.firstResponse && !p.resolution)
      issues.push(toIssue(path, 'needs a firstResponse or a resolution target'))
    for (const target of ['firstResponse', 'resolution'] as const) {
      const d = p[target]
      if (d && toMinutes(d) <= 0) issues.push(toIssue(`${path}.${target}`, 'must be longer than 0'))
    }
    const catchAll = !p.match || Object.keys(p.match).length === 0
    if (catchAll && i < sla.policies.length - 1)
      issues.push(
        toIssue(`${path}.match`, 'matches every record, so the policies after it never apply'),
      )
  })
  const resolved = new Set(sla.resolvedIn)
  ;(sla.pausedIn ?? []).forEach((s, i) => {
    if (resolved.has(s)) issues.push(toIssue(`pausedIn[${i}]`, `'${s}' is also in resolvedIn`))
  })
  const written = Object.entries(sla.fields).map(([role, field]) => ({
    role,
    field: field as string,
  }))
  issues.push(
    ...validateUnique(
      written,
      (w) => w.field,
      (i) => `fields.${written[i].role}`,
      'field',
    ),
  )
  if (sla.startField && written.some((w) => w.field === sla.startField))
    issues.push(toIssue('startField', 'is also a field the SLA writes'))
  return issues
}

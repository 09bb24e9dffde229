import type { ErrorObject } from 'ajv'
import { CAMEL_ID, DEFINITION_ID, PACKAGE_ID, SEMVER } from './id-patterns'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath, toJsonPath } from './json-path'
import { SORT_PATTERN } from './view'

const PATTERN_MESSAGES: Record<string, string> = {
  [CAMEL_ID]: 'must be camelCase: a lower-case letter, then letters and digits',
  [DEFINITION_ID]: 'must be camelCase or kebab-case, starting with a lower-case letter',
  [PACKAGE_ID]: 'must be kebab-case: lower-case letters, digits and single dashes',
  [SEMVER]: 'must be a semantic version such as 1.0.0',
  [SORT_PATTERN]: 'must be field names, each optionally prefixed with -, separated by commas',
}

function list(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : String(values)
}

/** Path and message of one ajv error, in the language's own words. */
function toSchemaIssue(error: ErrorObject): MetadataIssue {
  const path = toJsonPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return toIssue(joinPath(path, String(params.missingProperty)), 'is required')
    case 'additionalProperties':
      return toIssue(joinPath(path, String(params.additionalProperty)), 'is not a known property')
    case 'enum':
      return toIssue(path, `must be one of ${list(params.allowedValues)}`)
    case 'const':
      return toIssue(path, `must be ${JSON.stringify(params.allowedValue)}`)
    case 'pattern':
      return toIssue(
        path,
        PATTERN_MESSAGES[String(params.pattern)] ?? error.message ?? 'is invalid',
      )
    case 'propertyNames':
      return toIssue(joinPath(path, String(params.propertyName)), 'is not a valid key')
    case 'discriminator':
      return params.error === 'mapping'
        ? toIssue(
            joinPath(path, String(params.tag)),
            `${JSON.stringify(params.tagValue)} is not a known type`,
          )
        : toIssue(joinPath(path, String(params.tag)), 'is required and must be a string')
    default:
      return toIssue(path, error.message ?? 'is invalid')
  }
}

/**
 * Turns ajv errors into issues with JSON paths (`fields[2].type`). Drops the summary errors of
 * `if`/`then` and of pattern-checked property names, whose cause is reported on its own.
 */
export function toSchemaIssues(errors: readonly ErrorObject[]): MetadataIssue[] {
  const seen = new Set<string>()
  const issues: MetadataIssue[] = []
  for (const error of errors) {
    if (error.keyword === 'if') continue
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue
    const issue = toSchemaIssue(error)
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push(issue)
  }
  return issues
}

/*
 * Identifier rules shared by every kind. Entity ids and field names become PostgreSQL identifiers
 * (snake_cased, at most 63 bytes, money adds `_currency`), hence camelCase and 40 characters.
 */

/** Entity ids and field names: camelCase, starting with a lower-case letter. */
export const CAMEL_ID = '^[a-z][a-zA-Z0-9]*$'

/** Ids of forms, views, tabs, sections, rules and the other kinds: camelCase or kebab-case. */
export const DEFINITION_ID = '^[a-z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$'

/** Package ids: kebab-case (`hr-admin`), like the seed folders. */
export const PACKAGE_ID = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'

/** Semantic version of a package: `1.2.0`, `2.0.0-beta.1`. */
export const SEMVER =
  '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$'

/** A camelCase name: entity ids, field names and references to them. */
export const camelIdSchema = { type: 'string', pattern: CAMEL_ID, maxLength: 40 } as const

/** A camelCase or kebab-case id. */
export const definitionIdSchema = { type: 'string', pattern: DEFINITION_ID, maxLength: 64 } as const

/** A package id. */
export const packageIdSchema = { type: 'string', pattern: PACKAGE_ID, maxLength: 64 } as const

/** The revision number of a definition. */
export const versionSchema = { type: 'integer', minimum: 1 } as const

/** The `$schema` line a definition file starts with (a path or URL to its schema). */
export const schemaRefSchema = {
  type: 'string',
  format: 'uri-reference',
  minLength: 1,
  maxLength: 500,
} as const

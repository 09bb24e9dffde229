/** Where the published schemas live; each file is `<kind>.schema.json`. */
export const SCHEMA_BASE_URL = 'https://trellis.dev/schemas/'

/** The JSON Schema dialect every metadata schema is written in. */
export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#'

/** The `$id` of a kind's schema. */
export function schemaId(kind: string): string {
  return `${SCHEMA_BASE_URL}${kind}.schema.json`
}

/**
 * Makes a standalone schema document (dialect, `$id`, title) from an embeddable schema.
 * Embeddable schemas carry no `$id`, so they can be inlined into other kinds' documents.
 */
export function toSchemaDocument<const S extends object>(kind: string, title: string, schema: S) {
  return { $schema: SCHEMA_DIALECT, $id: schemaId(kind), title, ...schema }
}

/** The text of a schema file: two-space JSON and a final newline (`bin/write-schemas.ts`). */
export function toSchemaFileText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}

// Writes every schema of the language to metadata/schemas/<kind>.schema.json.
// Run: npx tsx metadata/write-schemas.ts
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { METADATA_SCHEMAS } from './schemas'

/** The folder the schema files live in. */
export const SCHEMAS_DIR = fileURLToPath(new URL('./schemas/', import.meta.url))

/** The text of a schema file: two-space JSON and a final newline. */
export function toSchemaFileText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`
}

/** Writes every schema file; returns the file names written. */
export function writeSchemas(dir = SCHEMAS_DIR): string[] {
  mkdirSync(dir, { recursive: true })
  return Object.entries(METADATA_SCHEMAS).map(([kind, schema]) => {
    const file = `${kind}.schema.json`
    writeFileSync(join(dir, file), toSchemaFileText(schema))
    return file
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of writeSchemas()) console.log(`wrote metadata/schemas/${file}`)
}

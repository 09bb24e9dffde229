// Writes every schema of the language to metadata/schemas/<kind>.schema.json (metadata/ itself
// does no I/O). Run: npx tsx bin/write-schemas.ts
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toSchemaFileText } from '../metadata/schema-document'
import { METADATA_SCHEMAS } from '../metadata/schemas'
import { SCHEMAS_DIR } from '../server/cli/schemas-dir'

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

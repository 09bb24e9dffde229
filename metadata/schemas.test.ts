import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { schemaId, toSchemaFileText } from './schema-document'
import { METADATA_SCHEMAS } from './schemas'

const SCHEMAS_DIR = join(import.meta.dirname, 'schemas')

describe('the schema files in metadata/schemas', () => {
  it('hold exactly the exported schemas (run `npx tsx bin/write-schemas.ts` after a change)', () => {
    const files = readdirSync(SCHEMAS_DIR)
      .filter((f) => f.endsWith('.schema.json'))
      .sort()
    expect(files).toEqual(
      Object.keys(METADATA_SCHEMAS)
        .map((k) => `${k}.schema.json`)
        .sort(),
    )
    for (const [kind, schema] of Object.entries(METADATA_SCHEMAS)) {
      const onDisk: unknown = JSON.parse(
        readFileSync(join(SCHEMAS_DIR, `${kind}.schema.json`), 'utf8'),
      )
      expect(onDisk, kind).toEqual(JSON.parse(toSchemaFileText(schema)))
    }
  })

  it('each carry the $id of their kind', () => {
    for (const [kind, schema] of Object.entries(METADATA_SCHEMAS))
      expect(schema.$id).toBe(schemaId(kind))
  })

  it('compile together in one strict ajv instance', () => {
    const ajv = new Ajv({ strict: true, strictRequired: false, discriminator: true })
    addFormats.default(ajv)
    for (const schema of Object.values(METADATA_SCHEMAS)) ajv.addSchema(schema)
    for (const schema of Object.values(METADATA_SCHEMAS))
      expect(ajv.getSchema(schema.$id)).toBeTypeOf('function')
  })
})

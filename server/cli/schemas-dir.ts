import { fileURLToPath } from 'node:url'

/** The folder the language's schema files live in (`bin/write-schemas.ts` writes them). */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../metadata/schemas/', import.meta.url))

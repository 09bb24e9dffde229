import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './runtime/db/platform-schema.ts',
  out: './runtime/db/migrations',
})

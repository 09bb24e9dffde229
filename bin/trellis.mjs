#!/usr/bin/env node
// The operator's entry point. Runs the bundled server (dist/trellis.mjs) when it is up to date
// with the sources, else the TypeScript sources through tsx's loader.
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isStale } from './freshness.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = join(root, 'dist/trellis.mjs')
const sources = ['server', 'runtime', 'metadata', 'seeds'].map((d) => join(root, d))

if (!isStale(bundle, sources)) {
  await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../server/cli/main.ts')
}

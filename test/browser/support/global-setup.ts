import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder this run keeps its demo templates in (see demo-template.ts). */
    demoTemplates: string
  }
}

/**
 * The browser project's run-wide setup: a folder for the demo templates its files share, deleted
 * when the run ends. Each template is built by the first file that needs it, within this run, so
 * no file ever starts from a demo an older checkout installed.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-demo-templates-'))
  project.provide('demoTemplates', dir)
  return () => rmSync(dir, { recursive: true, force: true })
}

import { builtinModules } from 'node:module'

/** Every module specifier a source text names: static and dynamic imports, re-exports, require. */
export function moduleSpecifiers(text: string): string[] {
  // Not after `.`, `-`, a word or a quote: `'action.import': 'Import'` and a test id ending in
  // `-from"` are no imports.
  const found = text.matchAll(
    /(?<![\w$.'"-])(?:from\s*|import\s*\(?\s*|require\s*\(\s*)['"]([^'"]+)['"]/g,
  )
  return [...found].map((m) => m[1])
}

const NODE_BUILTINS = new Set(builtinModules)

/** Whether a specifier names one of Node's own modules (`node:fs`, `fs`, `fs/promises`, …). */
export function isNodeBuiltin(specifier: string): boolean {
  return (
    specifier.startsWith('node:') ||
    NODE_BUILTINS.has(specifier) ||
    NODE_BUILTINS.has(specifier.split('/')[0])
  )
}

/** Specifiers that reach Node's own modules. */
export function nodeBuiltinsIn(text: string): string[] {
  return moduleSpecifiers(text).filter(isNodeBuiltin)
}

/** The package a bare specifier belongs to (`@scope/name/sub` → `@scope/name`), else null. */
export function packageOf(specifier: string): string | null {
  if (/^[./$]/.test(specifier) || isNodeBuiltin(specifier)) return null
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/**
 * One problem in a definition, located by a JSON path (`fields[2].type`). Identical in shape to
 * `Issue` in runtime/errors.ts, which metadata may not import (dependencies flow metadata →
 * runtime), so the runtime can pass these straight into a `DefinitionError`.
 */
export interface MetadataIssue {
  path: string
  message: string
}

/** Builds an issue. */
export function toIssue(path: string, message: string): MetadataIssue {
  return { path, message }
}

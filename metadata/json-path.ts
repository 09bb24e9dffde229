const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Appends a property or an index to a JSON path: `fields` + 2 → `fields[2]`, + `type` → `fields[2].type`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number' || /^\d+$/.test(key)) return `${base}[${key}]`
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`
  return base === '' ? key : `${base}.${key}`
}

/** Converts a JSON Pointer (ajv's instancePath, `/fields/2/type`) to a JSON path (`fields[2].type`). */
export function toJsonPath(pointer: string): string {
  if (pointer === '') return ''
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(joinPath, '')
}

/**
 * Joins each string option to the value after it (`--token -x1` → `--token=-x1`): node's
 * parseArgs refuses a separate value that starts with a dash, and random tokens and passwords
 * often do.
 * @example joinOptionValues(['install', 'x', '--token', '-a1'], new Set(['token']))
 */
export function joinOptionValues(argv: readonly string[], stringOptions: ReadonlySet<string>) {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : ''
    if (stringOptions.has(name) && i + 1 < argv.length) joined.push(`${argv[i]}=${argv[++i]}`)
    else joined.push(argv[i])
  }
  return joined
}

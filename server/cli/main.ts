import { parseArgs } from 'node:util'
import { runApply, runPlan, runValidate } from './metadata-commands'
import { runMigrate, runSeed, runUserCreate } from './data-commands'
import { runStart } from './start'

const USAGE = `trellis <command> [options]

  start                      run the server (PORT, DATABASE_URL, TRELLIS_DATA_DIR)
  validate [paths…]          check metadata files or folders (default: seeds/)
  plan [--dir seeds]         show what publishing the metadata in --dir would change
  apply [--dir seeds] [--confirm-destructive]
                             publish the metadata in --dir (schema change in one transaction)
  migrate                    apply the platform migrations
  seed [--scale N]           load deterministic demo data (scale 1 ≈ 200 customers)
  user create --username U --password P [--name N] [--admin] [--role R …]
                             create a user (how a real instance gets its admin)`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    'confirm-destructive': { type: 'boolean' },
    scale: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    admin: { type: 'boolean' },
    role: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
})

const [command, sub, ...rest] = positionals

async function main(): Promise<number> {
  switch (command) {
    case 'start':
      return runStart()
    case 'validate':
      return runValidate([sub, ...rest].filter(Boolean) as string[])
    case 'plan':
      return runPlan(values.dir)
    case 'apply':
      return runApply(values.dir, values['confirm-destructive'] === true)
    case 'migrate':
      return runMigrate()
    case 'seed':
      return runSeed(Number(values.scale ?? 1))
    case 'user':
      if (sub === 'create') return runUserCreate(values)
      break
  }
  console.log(USAGE)
  return command && !values.help ? 2 : 0
}

main().then(
  (code) => {
    if (command !== 'start') finish(code)
  },
  (err: Error) => {
    console.error(err.message)
    const details = (err as { details?: { path: string; message: string }[] }).details
    for (const d of details ?? []) console.error(`  ${d.path}: ${d.message}`)
    finish(1)
  },
)

/**
 * Ends a one-shot command without cutting its output short: process.exit() drops what is still
 * buffered for a pipe, so set the exit code, let the event loop drain, and exit only if some
 * handle keeps the process alive.
 */
function finish(code: number): void {
  process.exitCode = code
  setTimeout(() => process.exit(code), 3000).unref()
}

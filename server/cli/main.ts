import { parseArgs } from 'node:util'
import { runExport } from './export-command'
import { IMPORT_HELP, runImportCommand } from './import-command'
import { runApply, runInstall, runPlan, runValidate } from './metadata-commands'
import { runMigrate, runSeed, runUserCreate } from './data-commands'
import { joinOptionValues } from './option-values'
import { JOBS_HELP, runJobs, runWorker, WORKER_HELP } from './jobs-commands'
import { runStart } from './start'

const USAGE = `trellis <command> [options]

  start                      run the server (PORT, DATABASE_URL, TRELLIS_DATA_DIR, REDIS_URL)
  worker                     run jobs, events and timers in a separate process
                             (DATABASE_URL + REDIS_URL)
  jobs run --now <time>      fire what is due at <time> (ISO), wait until it ran
  jobs list | jobs retry <id>
                             queue, due timers and dead letters; queue a dead letter again
  validate [paths…]          check package folders or single definition files (default: seeds/);
                             references resolve against the installed packages (DATABASE_URL)
                             or the shipped modules
  plan [--dir D …]           what installing the packages in each --dir (a package folder or a
                             folder of them; default seeds/) would change; others stay as installed
  apply [--dir D …] [--confirm-destructive]
                             install them (schema change in one transaction)
  install <folder…> [--confirm-destructive] [--url U --token T]
                             add or update packages; --url goes through a running server
                             (the way to a PGlite instance, whose folder only its server opens)
  export <folder>            write the installed metadata as package folders
  import <entity> <file> [--upsert KEY] [--group H] [--as USER] [--mapping F] [--errors F]
                             import a CSV or XLSX file of records (resumes after a crash)
  migrate                    apply the platform migrations
  seed [--scale N]           load deterministic demo data (scale 1 ≈ 200 customers)
  user create --username U --password P [--name N] [--admin] [--role R …]
                             create a user (how a real instance gets its admin)`

const OPTIONS = {
  dir: { type: 'string', multiple: true },
  url: { type: 'string' },
  token: { type: 'string' },
  'confirm-destructive': { type: 'boolean' },
  scale: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  name: { type: 'string' },
  admin: { type: 'boolean' },
  role: { type: 'string', multiple: true },
  now: { type: 'string' },
  upsert: { type: 'string' },
  group: { type: 'string' },
  as: { type: 'string' },
  mapping: { type: 'string' },
  errors: { type: 'string' },
  batch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const
const stringOptions = new Set(
  Object.entries(OPTIONS)
    .filter(([, o]) => o.type === 'string')
    .map(([name]) => name),
)
const { positionals, values } = parseArgs({
  args: joinOptionValues(process.argv.slice(2), stringOptions),
  allowPositionals: true,
  options: OPTIONS,
})

const [command, sub, ...rest] = positionals
const remote = {
  url: values.url,
  token: values.token,
  confirmDestructive: values['confirm-destructive'] === true,
}

async function main(): Promise<number> {
  const help = { worker: WORKER_HELP, jobs: JOBS_HELP, import: IMPORT_HELP }[command ?? '']
  if (help && values.help) return (console.log(help), 0)
  switch (command) {
    case 'start':
      return runStart()
    case 'validate':
      return runValidate([sub, ...rest].filter(Boolean) as string[])
    case 'plan':
      return runPlan([...(values.dir ?? []), ...positionals.slice(1)], remote)
    case 'apply':
      return runApply([...(values.dir ?? []), ...positionals.slice(1)], remote)
    case 'install':
      return runInstall([...(values.dir ?? []), ...positionals.slice(1)], remote)
    case 'export':
      return runExport(sub)
    case 'import':
      return runImportCommand(sub, rest[0], values)
    case 'worker':
      return runWorker()
    case 'jobs':
      return runJobs(sub, rest, values.now)
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
    // start and worker keep running; everything else (a help text too) ends here.
    if (command !== 'start' && !(command === 'worker' && !values.help)) finish(code)
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

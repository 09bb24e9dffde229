import { runTrellisCli, tail } from '../lib/run-cli'

/** The bench user every scenario signs in as (an administrator, for the metadata scenario). */
export const BENCH_USER = { username: 'bench', password: 'bench-password-1' }

/**
 * Platform tables, the four shipped modules and the bench admin, through the CLI
 * (`trellis migrate`, `apply --dir seeds`, `user create`). When the CLI cannot run yet, falls back
 * to the same runtime functions in-process and says so.
 */
export async function installModules(
  dbUrl: string,
  log: (line: string) => void,
): Promise<'cli' | 'runtime'> {
  const env = { DATABASE_URL: dbUrl, TRELLIS_DEMO: 'false', LOG_LEVEL: 'warn' }
  const migrate = await runTrellisCli(['migrate'], env)
  if (migrate.code === 0) {
    const apply = await runTrellisCli(['apply', '--dir', 'seeds'], env)
    if (apply.code !== 0)
      throw new Error(`trellis apply --dir seeds failed:\n${tail(apply.stderr + apply.stdout)}`)
    const user = await runTrellisCli(
      [
        'user',
        'create',
        '--username',
        BENCH_USER.username,
        '--password',
        BENCH_USER.password,
        '--admin',
      ],
      env,
    )
    if (user.code !== 0)
      throw new Error(`trellis user create failed:\n${tail(user.stderr + user.stdout)}`)
    log('modules installed with the CLI (migrate, apply --dir seeds, user create)')
    return 'cli'
  }
  log(
    `trellis CLI unavailable (${tail(migrate.stderr, 3).replace(/\n/g, ' | ')}); using the runtime in-process`,
  )
  await installInProcess(dbUrl)
  return 'runtime'
}

async function installInProcess(dbUrl: string): Promise<void> {
  const pino = (await import('pino')).default
  const { openDb, migratePlatform } = await import('../../runtime/db')
  const { publishMetadata } = await import('../../runtime/registry')
  const { createUser } = await import('../../runtime/identity')
  const { SYSTEM_USER } = await import('../../runtime/context')
  const { systemClock } = await import('../../runtime/clock')
  const { readBundle } = await import('../../server/cli/read-bundle')
  const db = await openDb({ url: dbUrl })
  try {
    await migratePlatform(db)
    const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: pino({ level: 'warn' }) }
    await publishMetadata(ctx, readBundle('seeds'))
    await createUser(ctx, {
      username: BENCH_USER.username,
      password: BENCH_USER.password,
      displayName: 'Bench',
      isAdmin: true,
    })
  } finally {
    await db.close()
  }
}

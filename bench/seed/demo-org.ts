import { BENCH_USER } from './install-modules'

/** The demo people who own the bench customers (server/cli/demo-org.ts: DEMO_RECORD_OWNERS). */
export const SALES_OWNERS = ['rep_east1', 'rep_east2', 'rep_west1', 'mgr_east', 'mgr_west']

/**
 * The demo organisation on the bench database, made in-process with the runtime's own functions
 * (`ensureDemoOrganisation`: departments, director, managers, reps, … password `demo`, roles
 * salesDirector / salesManager / salesRep). The bench admin becomes the company's administrator.
 * Answers the user ids by username.
 */
export async function createDemoOrganisation(dbUrl: string): Promise<Map<string, string>> {
  const pino = (await import('pino')).default
  const { sql } = await import('drizzle-orm')
  const { openDb } = await import('../../runtime/db')
  const { loadPublishedMetadata } = await import('../../runtime/registry')
  const { SYSTEM_USER } = await import('../../runtime/context')
  const { systemClock } = await import('../../runtime/clock')
  const { ensureDemoOrganisation } = await import('../../server/cli/demo-org')
  const db = await openDb({ url: dbUrl })
  try {
    const meta = await loadPublishedMetadata(db)
    const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: pino({ level: 'warn' }), meta }
    const [bench] = await db.query<{ id: string; display_name: string }>(
      sql`select id, display_name from users where username = ${BENCH_USER.username}`,
    )
    if (!bench) throw new Error(`the bench user '${BENCH_USER.username}' does not exist`)
    const admin = {
      id: bench.id,
      username: BENCH_USER.username,
      displayName: bench.display_name,
      locale: 'en',
      isAdmin: true,
    }
    const people = await ensureDemoOrganisation(ctx, admin)
    return new Map([...people].map(([name, user]) => [name, user.id]))
  } finally {
    await db.close()
  }
}

/**
 * The owner list the bulk insert cycles through (`owner = list[1 + n % length]`): the reps own
 * most customers (3 shares each), the two managers a few (1 share each) — 3/11 ≈ 27 % per rep,
 * 1/11 ≈ 9 % per manager. Throws naming a missing person.
 */
export function weightedOwners(ids: Map<string, string>): string[] {
  const weights: [string, number][] = [
    ['rep_east1', 3],
    ['rep_east2', 3],
    ['rep_west1', 3],
    ['mgr_east', 1],
    ['mgr_west', 1],
  ]
  const missing = weights.map(([name]) => name).filter((name) => !ids.has(name))
  if (missing.length) throw new Error(`demo organisation is missing ${missing.join(', ')}`)
  // Interleaved (not blocks), so consecutive customers change owner like real data does.
  const out: string[] = []
  for (let round = 0; round < 3; round++) {
    for (const [name, weight] of weights) if (round < weight) out.push(ids.get(name)!)
  }
  return out
}

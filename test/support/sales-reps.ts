import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import { createDepartment, createOrgUser } from '../../runtime/org'
import { loadPublishedMetadata } from '../../runtime/registry'
import type { AppFixture } from './app-fixture'

/** Reps of the shipped `salesRep` role, by username: their user ids and bearer tokens. */
export interface SalesReps {
  ids: Record<string, string>
  tokens: Record<string, string>
}

/**
 * A company with a Sales department and one signed-in sales rep per name (password `pw`, the
 * name as display name), over a fixture that published the shipped modules.
 * @example const reps = await signInSalesReps(fx, ['repA', 'repB'], '华星科技有限公司')
 */
export async function signInSalesReps(
  fx: AppFixture,
  names: readonly string[],
  companyName = 'Acme',
): Promise<SalesReps> {
  const ctx: Ctx = {
    db: fx.db,
    user: SYSTEM_USER,
    clock: fixedClock(new Date()),
    log: silentLogger,
    meta: await loadPublishedMetadata(fx.db),
  }
  const company = await createDepartment(ctx, { name: companyName, kind: 'company' })
  const sales = await createDepartment(ctx, { name: 'Sales', parentId: company.id })
  const reps: SalesReps = { ids: {}, tokens: {} }
  for (const name of names) {
    const input = { username: name, password: 'pw', displayName: name }
    const user = await createOrgUser(
      ctx,
      { ...input, departmentId: sales.id, roles: ['salesRep'] },
      { allowWeakPassword: true },
    )
    reps.ids[name] = user.id
    const login = await fx.call('POST', '/api/auth/login', {
      body: { username: name, password: 'pw' },
    })
    reps.tokens[name] = ((await login.json()) as { token: string }).token
  }
  return reps
}

import { createOrgUser } from '../../runtime/org'
import { demoRecordOwners, ensureDemoAdmin, installModules, loadDemoData } from './demo'
import { startDemoApprovals } from './demo-approvals'
import { ensureDemoOrganisation } from './demo-org'
import { openInstance } from './open-instance'

/** `trellis migrate`: platform migrations only (openInstance applies them). */
export async function runMigrate(): Promise<number> {
  const { db } = await openInstance()
  await db.close()
  console.log('Platform tables are up to date.')
  return 0
}

/** `trellis seed --scale N`: installs the modules if needed and loads demo data. */
export async function runSeed(scale: number): Promise<number> {
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number')
  const { ctx, db } = await openInstance()
  try {
    const installed = await installModules(ctx)
    const admin = await ensureDemoAdmin(installed)
    const people = await ensureDemoOrganisation(installed, admin)
    const count = await loadDemoData(installed, demoRecordOwners(people, admin), scale)
    const approvals = await startDemoApprovals(installed)
    console.log(`Loaded ${count} demo records and started ${approvals} approvals.`)
    return 0
  } finally {
    await db.close()
  }
}

/** `trellis user create`: how a real instance gets its administrator (and other users). */
export async function runUserCreate(values: {
  username?: string
  password?: string
  name?: string
  admin?: boolean
  role?: string[]
}): Promise<number> {
  if (!values.username || !values.password)
    throw new Error('user create needs --username and --password')
  const { ctx, db } = await openInstance()
  try {
    const user = await createOrgUser(ctx, {
      username: values.username,
      password: values.password,
      displayName: values.name ?? values.username,
      isAdmin: values.admin === true,
      ...(values.role?.length ? { roles: values.role } : {}),
    })
    const roles = user.roles.length ? ` and roles ${user.roles.join(', ')}` : ''
    console.log(
      `Created user ${user.username} (${user.id})${user.isAdmin ? ' with administrator rights' : ''}${roles}.`,
    )
    return 0
  } finally {
    await db.close()
  }
}

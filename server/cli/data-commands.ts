import { createUser } from '../../runtime/identity'
import { ensureDemoAdmin, installModules, loadDemoData } from './demo'
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
    const count = await loadDemoData(installed, admin, scale)
    console.log(`Loaded ${count} demo records.`)
    return 0
  } finally {
    await db.close()
  }
}

/** `trellis user create`: how a real instance gets its administrator. */
export async function runUserCreate(values: {
  username?: string
  password?: string
  name?: string
  admin?: boolean
}): Promise<number> {
  if (!values.username || !values.password)
    throw new Error('user create needs --username and --password')
  const { ctx, db } = await openInstance()
  try {
    const user = await createUser(ctx, {
      username: values.username,
      password: values.password,
      displayName: values.name ?? values.username,
      isAdmin: values.admin === true,
    })
    console.log(
      `Created user ${user.username} (${user.id})${user.isAdmin ? ' with administrator rights' : ''}.`,
    )
    return 0
  } finally {
    await db.close()
  }
}

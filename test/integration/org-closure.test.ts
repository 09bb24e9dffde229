import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../metadata/role'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createUser } from '../../runtime/identity'
import {
  createDepartment,
  deleteDepartment,
  rebuildClosures,
  setManager,
  setRoles,
  updateDepartment,
} from '../../runtime/org'
import { buildMetadataSet } from '../../runtime/registry'
import { testTargets } from '../support/databases'

const role = (id: string): Role => ({ id, label: { en: id }, grants: [] })

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

async function snapshot(db: Db): Promise<{ departments: string[]; managers: string[] }> {
  const d = await db.query<{ a: string; d: string; depth: number }>(
    sql`select ancestor_id as a, descendant_id as d, depth from department_closure order by 1, 2`,
  )
  const m = await db.query<{ a: string; d: string; depth: number }>(
    sql`select manager_id as a, report_id as d, depth from manager_closure order by 1, 2`,
  )
  return {
    departments: d.map((r) => `${r.a}>${r.d}@${r.depth}`),
    managers: m.map((r) => `${r.a}>${r.d}@${r.depth}`),
  }
}

/** The closures as the incremental updates left them equal a rebuild from the source columns. */
async function expectClosuresMatchRebuild(db: Db): Promise<void> {
  const incremental = await snapshot(db)
  await rebuildClosures(db)
  expect(incremental).toEqual(await snapshot(db))
}

/** True when `node` is `root` or below it in a parent map. */
function isBelow(parents: Map<string, string | null>, root: string, node: string): boolean {
  for (let at: string | null | undefined = node; at; at = parents.get(at))
    if (at === root) return true
  return false
}

describe.each(testTargets())('organisation closures on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: Ctx
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const meta = buildMetadataSet(
      { packages: [], entities: [], forms: [], views: [], roles: [role('salesRep')] },
      1,
    )
    ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta }
  })
  afterAll(() => close?.())

  it('keeps the department closure equal to a rebuild through random creates and moves', async () => {
    const next = random(7)
    const parents = new Map<string, string | null>()
    const ids: string[] = []
    for (let i = 0; i < 14; i++) {
      const parentId = ids.length && next() < 0.8 ? ids[Math.floor(next() * ids.length)] : null
      const d = await createDepartment(ctx, { name: `D${i}`, parentId })
      ids.push(d.id)
      parents.set(d.id, parentId)
    }
    await expectClosuresMatchRebuild(db)
    let refused = 0
    for (let i = 0; i < 40; i++) {
      const id = ids[Math.floor(next() * ids.length)]
      const parentId = next() < 0.15 ? null : ids[Math.floor(next() * ids.length)]
      if (parentId && isBelow(parents, id, parentId)) {
        await expect(updateDepartment(ctx, id, { parentId })).rejects.toMatchObject({
          status: 422,
          details: [{ path: 'parentId' }],
        })
        refused++
      } else {
        const moved = await updateDepartment(ctx, id, { parentId })
        expect(moved.parentId).toBe(parentId)
        parents.set(id, parentId)
      }
      if (i % 8 === 7) await expectClosuresMatchRebuild(db)
    }
    expect(refused).toBeGreaterThan(0)
    await expectClosuresMatchRebuild(db)
  })

  it('keeps the manager closure equal to a rebuild through random manager changes', async () => {
    const next = random(11)
    const managers = new Map<string, string | null>()
    const ids: string[] = []
    for (let i = 0; i < 12; i++) {
      const user = await createUser(
        { db },
        { username: `m${i}`, password: 'x', displayName: `M${i}` },
        {
          allowWeakPassword: true,
        },
      )
      ids.push(user.id)
      managers.set(user.id, null)
    }
    let refused = 0
    for (let i = 0; i < 50; i++) {
      const id = ids[Math.floor(next() * ids.length)]
      const managerId = next() < 0.1 ? null : ids[Math.floor(next() * ids.length)]
      if (managerId && isBelow(managers, id, managerId)) {
        await expect(setManager(ctx, id, managerId)).rejects.toMatchObject({
          status: 422,
          details: [{ path: 'managerId' }],
        })
        refused++
      } else {
        expect((await setManager(ctx, id, managerId)).managerId).toBe(managerId)
        managers.set(id, managerId)
      }
      if (i % 10 === 9) await expectClosuresMatchRebuild(db)
    }
    expect(refused).toBeGreaterThan(0)
    await expectClosuresMatchRebuild(db)
  })

  it('refuses to make a user their own manager', async () => {
    const [{ id }] = await db.query<{ id: string }>(sql`select id from users limit 1`)
    await expect(setManager(ctx, id, id)).rejects.toMatchObject({
      status: 422,
      details: [{ path: 'managerId' }],
    })
  })

  it('refuses role ids the metadata does not define, naming roles', async () => {
    const [{ id }] = await db.query<{ id: string }>(sql`select id from users limit 1`)
    await expect(setRoles(ctx, id, ['salesRep', 'nope'])).rejects.toMatchObject({
      status: 422,
      details: [{ path: 'roles' }],
    })
    expect((await setRoles(ctx, id, ['salesRep'])).roles).toEqual(['salesRep'])
  })

  it('deletes only an empty department, and its closure rows go with it', async () => {
    const parent = await createDepartment(ctx, { name: 'Parent' })
    const child = await createDepartment(ctx, { name: 'Child', parentId: parent.id })
    await expect(deleteDepartment(ctx, parent.id)).rejects.toMatchObject({ status: 409 })
    const user = await createUser(
      { db },
      { username: 'inchild', password: 'x', displayName: 'In' },
      {
        allowWeakPassword: true,
      },
    )
    await db.query(sql`update users set department_id = ${child.id} where id = ${user.id}`)
    await expect(deleteDepartment(ctx, child.id)).rejects.toMatchObject({
      status: 409,
      details: [{ path: 'users' }],
    })
    await db.query(sql`update users set department_id = null where id = ${user.id}`)
    await deleteDepartment(ctx, child.id)
    await deleteDepartment(ctx, parent.id)
    const left = await db.query(sql`
      select 1 from department_closure
      where ancestor_id in (${parent.id}::uuid, ${child.id}::uuid)
        or descendant_id in (${parent.id}::uuid, ${child.id}::uuid)`)
    expect(left).toHaveLength(0)
    await expectClosuresMatchRebuild(db)
  })

  it('refuses organisation changes by a caller who is not an administrator', async () => {
    const clerk = { ...SYSTEM_USER, id: SYSTEM_USER.id, isAdmin: false }
    await expect(createDepartment({ ...ctx, user: clerk }, { name: 'X' })).rejects.toMatchObject({
      status: 403,
    })
  })
})

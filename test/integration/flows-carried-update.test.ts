import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Flow } from '../../metadata/flow'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { fireTransition } from '../../runtime/flows'
import { createRecord } from '../../runtime/records'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })

/** A claim with a unique code the submitter gives when submitting for the manager's approval. */
const claim: Entity = {
  id: 'claim',
  label: label('Claim'),
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'code', type: 'text', label: label('Code'), unique: true },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: ['draft', 'pending', 'approved', 'rejected'].map((value) => ({
        value,
        label: label(value),
      })),
      default: 'draft',
    },
  ],
}

const claimFlow: Flow = {
  id: 'claimFlow',
  label: label('Claim flow'),
  entity: 'claim',
  stateField: 'status',
  states: [
    { id: 'draft', initial: true },
    { id: 'pending' },
    { id: 'approved', final: true },
    { id: 'rejected' },
  ],
  transitions: [
    {
      id: 'submit',
      label: label('Submit'),
      from: ['draft'],
      to: 'approved',
      inputs: ['code'],
      approval: {
        pending: 'pending',
        rejected: 'rejected',
        noApprover: 'admin',
        steps: [{ id: 'manager', label: label('Manager'), approvers: [{ manager: 1 }] }],
      },
    },
  ],
}

/*
 * A transition that starts an approval writes the record's update in the same statement as the
 * instance, its task, share, notice and outbox events: the update's refusal is still the one
 * the caller reads, and nothing of the approval stays behind.
 */
describe.each(testTargets())('a transition whose record update is refused on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: Ctx
  beforeAll(async () => {
    const opened = await target.open()
    db = opened.db
    close = opened.close
    const base = { db, user: SYSTEM_USER, clock: fixedClock(new Date()), log: silentLogger }
    await publishMetadata(base, {
      packages: [],
      entities: [claim],
      forms: [],
      views: [],
      roles: [],
      flows: [claimFlow],
    })
    const [mgr] = await db.query<{ id: string }>(sql`insert into users
      (username, display_name, password_hash) values ('boss', 'Boss', 'x') returning id::text as id`)
    const [sub] = await db.query<{ id: string }>(sql`insert into users
      (username, display_name, password_hash, is_admin, manager_id)
      values ('sub', 'Sub', 'x', true, ${mgr.id}::uuid) returning id::text as id`)
    const user = {
      id: sub.id,
      username: 'sub',
      displayName: 'Sub',
      locale: 'en',
      isAdmin: true,
      roles: [],
      departmentId: null,
      managerId: mgr.id,
      attributes: {},
    }
    ctx = { ...base, user, meta: await loadPublishedMetadata(db) }
  })
  afterAll(() => close?.())

  const newClaim = async (values: Record<string, unknown>) =>
    (await createRecord(ctx, 'claim', { title: 'Trip', ...values })).record as {
      id: string
      version: number
    }

  it('answers 409 naming the unique field and leaves no approval, task, notice or event', async () => {
    await newClaim({ code: 'C-1' })
    const other = await newClaim({})
    await expect(
      fireTransition(ctx, 'claim', other.id, 'submit', {
        version: other.version,
        inputs: { code: 'C-1' },
      }),
    ).rejects.toMatchObject({ status: 409, details: [expect.objectContaining({ path: 'code' })] })
    const [left] = await db.query<{ n: number }>(sql`select
      (select count(*) from flow_instances where record_id = ${other.id}::uuid)
      + (select count(*) from approval_tasks where record_id = ${other.id}::uuid)
      + (select count(*) from notifications where record_id = ${other.id}::uuid)
      + (select count(*) from record_shares where record_id = ${other.id}::uuid)
      + (select count(*) from outbox where record_id = ${other.id}::uuid and event <> 'created')
      as n`)
    expect(Number(left.n)).toBe(0)
  })

  it('writes the record with the approval once the value is free', async () => {
    const mine = await newClaim({})
    const done = await fireTransition(ctx, 'claim', mine.id, 'submit', {
      version: mine.version,
      inputs: { code: 'C-2' },
    })
    expect(done.record).toMatchObject({ code: 'C-2', status: 'pending', version: 2 })
    expect(done.approval?.status).toBe('running')
    const tasks = await db.query<{ n: number }>(
      sql`select count(*) as n from approval_tasks where record_id = ${mine.id}::uuid`,
    )
    expect(Number(tasks[0].n)).toBe(1)
  })
})

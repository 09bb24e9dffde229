import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyApprovalEvent,
  fireTransition,
  listTransitions,
  loadOrgView,
} from '../../runtime/flows'
import { createRecord, deleteRecord, getRecord, updateRecord } from '../../runtime/records'
import type { CurrentUser } from '../../runtime/context'
import { openDb, type Db } from '../../runtime/db'
import { testTargets } from '../support/databases'
import { movesOf, openFlowWorld, outboxOf, tasksOf, type FlowWorld } from './flows-fixture'

describe.each(testTargets())('flow transitions and approvals on $name', (target) => {
  let w: FlowWorld
  let close: () => Promise<void>
  let url: string | undefined
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    url = opened.url
    w = await openFlowWorld(opened.db)
  })
  afterAll(() => close?.())

  const newExpense = async (values: Record<string, unknown> = {}) => {
    const ctx = await w.as(w.users.emp)
    const { record } = await createRecord(ctx, 'expense', { title: 'Taxi', amount: 50, ...values })
    return record as { id: string; version: number; status: string }
  }
  it('starts a new record in the initial state and refuses another', async () => {
    expect((await newExpense()).status).toBe('draft')
    await expect(newExpense({ status: 'approved' })).rejects.toMatchObject({
      status: 422,
      details: [expect.objectContaining({ path: 'status' })],
    })
  })

  it('moves the state by a plain transition, with audit and the transition event', async () => {
    const e = await newExpense()
    const ctx = await w.as(w.users.emp)
    const done = await fireTransition(ctx, 'expense', e.id, 'fastTrack', { version: e.version })
    expect(done.record.status).toBe('approved')
    expect(done.record.version).toBe(e.version + 1)
    expect(done.approval).toBeNull()
    const events = await outboxOf(w.db, e.id)
    // The move updated the record: its `updated` event tells it too (one row, not two).
    expect(events.map((x) => x.event)).toEqual(['created', 'updated'])
    expect(events[1].payload).toMatchObject({
      flow: 'expenseFlow',
      from: 'draft',
      to: 'approved',
      action: 'fastTrack',
      transition: 'fastTrack',
      version: e.version + 1,
      changes: { status: { before: 'draft', after: 'approved' } },
    })
    const audit = await w.db.query<{ action: string; changes: unknown }>(
      sql`select action, changes from audit_log where record_id = ${e.id}::uuid order by id`,
    )
    expect(audit.map((a) => a.action)).toEqual(['created', 'updated'])
    const changes = audit[1].changes
    expect(typeof changes === 'string' ? JSON.parse(changes) : changes).toEqual({
      status: { before: 'draft', after: 'approved' },
    })
  })

  it('refuses a stale version with 409 and the current version', async () => {
    const e = await newExpense()
    const ctx = await w.as(w.users.emp)
    await updateRecord(ctx, 'expense', e.id, { note: 'edited' }, e.version)
    await expect(
      fireTransition(ctx, 'expense', e.id, 'fastTrack', { version: e.version }),
    ).rejects.toMatchObject({ status: 409, extra: { currentVersion: e.version + 1 } })
    expect((await getRecord(ctx, 'expense', e.id)).status).toBe('draft')
  })

  it('refuses a caller whose transition scope does not reach the record', async () => {
    const e = await newExpense()
    const ctx = await w.as(w.users.viewer)
    await expect(
      fireTransition(ctx, 'expense', e.id, 'fastTrack', { version: e.version }),
    ).rejects.toMatchObject({ status: 403 })
    const list = await listTransitions(ctx, 'expense', e.id)
    expect(list.transitions.every((t) => !t.available && t.reason === 'scope')).toBe(true)
    expect(list.state).toMatchObject({ id: 'draft' })
  })

  it('refuses a transition whose guard fails, and lists it as unavailable by guard', async () => {
    const e = await newExpense({ amount: 500 })
    const ctx = await w.as(w.users.emp)
    await expect(
      fireTransition(ctx, 'expense', e.id, 'fastTrack', { version: e.version }),
    ).rejects.toMatchObject({ status: 403 })
    const list = await listTransitions(ctx, 'expense', e.id)
    expect(list.transitions.find((t) => t.id === 'fastTrack')).toMatchObject({
      available: false,
      reason: 'guard',
    })
    expect(list.transitions.find((t) => t.id === 'submit')).toMatchObject({ available: true })
  })

  it('refuses a transition missing a required input with 422 naming it, then takes it', async () => {
    const e = await newExpense()
    const ctx = await w.as(w.users.emp)
    await expect(
      fireTransition(ctx, 'expense', e.id, 'cancel', { version: e.version }),
    ).rejects.toMatchObject({
      status: 422,
      details: [expect.objectContaining({ path: 'inputs.reason' })],
    })
    const done = await fireTransition(ctx, 'expense', e.id, 'cancel', {
      version: e.version,
      inputs: { reason: 'Trip called off' },
    })
    expect(done.record).toMatchObject({ status: 'rejected', reason: 'Trip called off' })
  })

  it('refuses a PATCH of the state field, naming it', async () => {
    const e = await newExpense()
    const ctx = await w.as(w.users.emp)
    await expect(
      updateRecord(ctx, 'expense', e.id, { status: 'approved' }, e.version),
    ).rejects.toMatchObject({ status: 422, details: [expect.objectContaining({ path: 'status' })] })
    // Sending the state back unchanged is fine.
    const { record } = await updateRecord(ctx, 'expense', e.id, { status: 'draft', note: 'x' }, 1)
    expect(record.note).toBe('x')
  })

  it('starts an approval: pending state, a task for the manager, then approve → approved', async () => {
    const e = await newExpense()
    const emp = await w.as(w.users.emp)
    const started = await fireTransition(emp, 'expense', e.id, 'submit', { version: e.version })
    expect(started.record.status).toBe('pending')
    expect(started.approval).toMatchObject({ status: 'running' })
    const tasks = await tasksOf(w.db, e.id)
    expect(tasks).toEqual([
      expect.objectContaining({ assignee: w.users.mgr.id, status: 'pending', step: 'manager' }),
    ])
    const notices = await w.db.query<{ title: string }>(
      sql`select title from notifications where user_id = ${w.users.mgr.id}::uuid
        and record_id = ${e.id}::uuid`,
    )
    expect(notices.map((n) => n.title)).toEqual(['Taxi 승인을 기다리고 있습니다']) // mgr reads ko
    const mgr = await w.as(w.users.mgr)
    const done = await applyApprovalEvent(mgr, started.approval!.id, {
      type: 'approve',
      task: tasks[0].task_key,
      actor: w.users.mgr.id,
    })
    expect(done.record.status).toBe('approved')
    expect(done.instance.status).toBe('approved')
    expect((await tasksOf(w.db, e.id))[0].status).toBe('approved')
    const moves = await movesOf(w.db, e.id)
    expect(moves.at(-1)?.payload).toMatchObject({ from: 'pending', to: 'approved' })
  })

  it('rejects to the rejection state, and an already decided task answers 409', async () => {
    const e = await newExpense()
    const emp = await w.as(w.users.emp)
    const started = await fireTransition(emp, 'expense', e.id, 'submit', { version: e.version })
    const [task] = await tasksOf(w.db, e.id)
    const mgr = await w.as(w.users.mgr)
    const event = { type: 'reject' as const, task: task.task_key, actor: w.users.mgr.id }
    const done = await applyApprovalEvent(mgr, started.approval!.id, {
      ...event,
      comment: 'Too dear',
    })
    expect(done.record.status).toBe('rejected')
    expect(done.instance.status).toBe('rejected')
    await expect(
      applyApprovalEvent(mgr, started.approval!.id, { ...event, type: 'approve' }),
    ).rejects.toMatchObject({ status: 409 })
  })

  it('refuses to delete a record whose approval runs (409), and deletes it once recalled', async () => {
    const e = await newExpense()
    const emp = await w.as(w.users.emp)
    const started = await fireTransition(emp, 'expense', e.id, 'submit', { version: e.version })
    const admin = await w.system()
    await expect(
      deleteRecord(admin, 'expense', e.id, started.record.version as number),
    ).rejects.toMatchObject({ status: 409, code: 'APPROVAL_RUNNING' })
    expect((await tasksOf(w.db, e.id))[0].status).toBe('pending')
    const recalled = await applyApprovalEvent(emp, started.approval!.id, {
      type: 'recall',
      actor: w.users.emp.id,
    })
    await deleteRecord(admin, 'expense', e.id, recalled.record.version as number)
    const left = await w.db.query(sql`select 1 from app.expense where id = ${e.id}::uuid`)
    expect(left).toEqual([])
  })

  it('keeps fields outside the lock read-only while pending, and the note for the approver', async () => {
    const e = await newExpense()
    const emp = await w.as(w.users.emp)
    const started = await fireTransition(emp, 'expense', e.id, 'submit', { version: e.version })
    const v = started.record.version as number
    await expect(updateRecord(emp, 'expense', e.id, { amount: 10 }, v)).rejects.toMatchObject({
      status: 403,
      details: [expect.objectContaining({ path: 'amount' })],
    })
    // The note is editable, but only by the current approver.
    await expect(updateRecord(emp, 'expense', e.id, { note: 'hi' }, v)).rejects.toMatchObject({
      status: 403,
      details: [expect.objectContaining({ path: 'note' })],
    })
    const mgr = await w.as(w.users.mgr)
    const { record } = await updateRecord(mgr, 'expense', e.id, { note: 'checked' }, v)
    expect(record.note).toBe('checked')
    await expect(updateRecord(mgr, 'expense', e.id, { amount: 10 }, v + 1)).rejects.toMatchObject({
      status: 403,
    })
  })

  it('pays: creates the payment with the lines copied, links it back and sets the note', async () => {
    const emp = await w.as(w.users.emp)
    const { record } = await createRecord(emp, 'expense', {
      title: 'Hotel',
      amount: 80,
      lines: [
        { item: 'Night 1', cost: 40 },
        { item: 'Night 2', cost: 40 },
      ],
    })
    const id = record.id as string
    const approved = await fireTransition(emp, 'expense', id, 'fastTrack', {
      version: record.version as number,
    })
    const paid = await fireTransition(emp, 'expense', id, 'pay', {
      version: approved.record.version as number,
    })
    expect(paid.record).toMatchObject({ status: 'paid', note: 'paid as Hotel' })
    const paymentId = paid.record.payment as string
    expect(paymentId).toMatch(/^[0-9a-f-]{36}$/)
    const system = await w.system()
    const made = await getRecord(system, 'payment', paymentId)
    expect(made).toMatchObject({ title: 'Hotel', amount: 80, owner: w.users.emp.id })
    expect((made.lines as { item: string; cost: number }[]).map((l) => [l.item, l.cost])).toEqual([
      ['Night 1', 40],
      ['Night 2', 40],
    ])
    const list = await listTransitions(emp, 'expense', id)
    expect(list.states.find((s) => s.id === 'paid')).toMatchObject({ final: true })
    expect(list.transitions.every((t) => !t.available)).toBe(true)
  })

  it('reads the organisation: managers, role members, substitutes in their range', async () => {
    const org = await loadOrgView({ db: w.db })
    expect(org.managerOf(w.users.emp.id)).toBe(w.users.mgr.id)
    expect(org.roleMembers('reviewer').sort()).toEqual(w.users.reviewers.map((r) => r.id).sort())
    expect(org.userByName('EMP')).toBe(w.users.emp.id)
    await w.db.query(sql`insert into out_of_office (user_id, substitute_id, starts_at, ends_at)
      values (${w.users.mgr.id}::uuid, ${w.users.viewer.id}::uuid,
        '2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z')`)
    const away = await loadOrgView({ db: w.db })
    expect(away.substituteOf(w.users.mgr.id, new Date('2026-03-02T00:00:00Z'))).toBe(
      w.users.viewer.id,
    )
    expect(away.substituteOf(w.users.mgr.id, new Date('2026-03-06T00:00:00Z'))).toBeNull()
    await w.db.query(sql`delete from out_of_office`)
  })

  it('routes by the organisation as it is now, and never by a change that rolled back', async () => {
    const ctx = await w.as(w.users.emp)
    const submitted = async () => {
      const e = await newExpense()
      await fireTransition(ctx, 'expense', e.id, 'submit', { version: e.version })
      return (await tasksOf(w.db, e.id)).map((t) => t.assignee)
    }
    // On PostgreSQL the organisation changes through another pool, as another process would.
    const other = url ? await openDb({ url, max: 1 }) : w.db
    const setManager = (db: Db, manager: CurrentUser) =>
      db.query(
        sql`update users set manager_id = ${manager.id}::uuid where id = ${w.users.emp.id}::uuid`,
      )
    try {
      expect(await submitted()).toEqual([w.users.mgr.id])
      await setManager(other, w.users.reviewers[0])
      expect(await submitted()).toEqual([w.users.reviewers[0].id])
      // A transaction that moves the manager and routes by it, then rolls back.
      const e = await newExpense()
      const inside = await w.db
        .transaction(async (db) => {
          await setManager(db, w.users.viewer)
          await fireTransition({ ...ctx, db }, 'expense', e.id, 'submit', { version: e.version })
          const [task] = await tasksOf(db, e.id)
          throw Object.assign(new Error('roll back'), { assignee: task.assignee })
        })
        .catch((err: { assignee?: string }) => err.assignee)
      expect(inside).toBe(w.users.viewer.id)
      expect(await submitted()).toEqual([w.users.reviewers[0].id])
      // The next committed change gets the version the rolled-back one had used.
      await setManager(other, w.users.reviewers[1])
      expect(await submitted()).toEqual([w.users.reviewers[1].id])
      // A role held or lost moves the version too: the review board changes at once.
      await other.query(
        sql`delete from user_roles where user_id = ${w.users.reviewers[4].id}::uuid`,
      )
      const org = await loadOrgView({ db: w.db })
      expect(org.roleMembers('reviewer')).not.toContain(w.users.reviewers[4].id)
    } finally {
      await setManager(w.db, w.users.mgr)
      await w.db.query(sql`insert into user_roles (user_id, role_id)
        values (${w.users.reviewers[4].id}::uuid, 'reviewer') on conflict do nothing`)
      if (other !== w.db) await other.close()
    }
  })
})

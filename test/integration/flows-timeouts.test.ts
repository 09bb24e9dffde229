import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock } from '../../runtime/clock'
import { silentLogger } from '../../runtime/context'
import {
  APPROVAL_TIMEOUT_KIND,
  applyApprovalEvent,
  fireTransition,
  registerFlowHandlers,
} from '../../runtime/flows'
import {
  createHandlerRegistry,
  createInProcessQueue,
  registerBuiltInHandlers,
  runDueJobs,
} from '../../runtime/jobs'
import { createRecord } from '../../runtime/records'
import { loadPublishedMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import { openFlowWorld, tasksOf, type FlowWorld } from './flows-fixture'

describe.each(testTargets())('approval timeouts on $name', (target) => {
  let w: FlowWorld
  let close: () => Promise<void>
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openFlowWorld(opened.db)
  })
  afterAll(() => close?.())

  const runAt = async (at: string) => {
    const queue = createInProcessQueue({ backoffMs: 10 })
    const handlers = registerFlowHandlers(registerBuiltInHandlers(createHandlerRegistry()), (db) =>
      loadPublishedMetadata(db),
    )
    try {
      await runDueJobs({ db: w.db, queue, clock: fixedClock(at), log: silentLogger, handlers })
    } finally {
      await queue.close()
    }
  }
  const statusOf = async (id: string) =>
    (
      await w.db.query<{ status: string }>(
        sql`select status from app.expense where id = ${id}::uuid`,
      )
    )[0].status

  it('approves a task left waiting four office hours, counted over the weekend, once', async () => {
    const friday = fixedClock('2026-03-06T15:00:00Z')
    const emp = { ...(await w.as(w.users.emp)), clock: friday }
    const { record } = await createRecord(emp, 'expense', { title: 'Train', amount: 300 })
    const id = record.id as string
    const started = await fireTransition(emp, 'expense', id, 'submit', {
      version: record.version as number,
    })
    const [timer] = await w.db.query<{ key: string; due_at: Date | string }>(
      sql`select key, due_at from timers where kind = ${APPROVAL_TIMEOUT_KIND}`,
    )
    const [task] = await tasksOf(w.db, id)
    expect(timer.key).toBe(`${started.approval!.id}:${task.task_key}`)
    // Friday 15:00–17:00 and Monday 09:00–11:00.
    expect(new Date(timer.due_at).toISOString()).toBe('2026-03-09T11:00:00.000Z')
    await runAt('2026-03-09T10:59:00Z')
    expect(await statusOf(id)).toBe('pending')
    await runAt('2026-03-09T11:00:00Z')
    expect(await statusOf(id)).toBe('approved')
    expect((await tasksOf(w.db, id))[0].status).toBe('approved')
    await runAt('2026-03-10T11:00:00Z')
    const versions = await w.db.query<{ version: number }>(
      sql`select version from app.expense where id = ${id}::uuid`,
    )
    expect(versions[0].version).toBe(3)
  })

  it('drops the timer when the task is decided first', async () => {
    const emp = await w.as(w.users.emp)
    const { record } = await createRecord(emp, 'expense', { title: 'Bus', amount: 20 })
    const id = record.id as string
    const started = await fireTransition(emp, 'expense', id, 'submit', {
      version: record.version as number,
    })
    const [task] = await tasksOf(w.db, id)
    await applyApprovalEvent(await w.as(w.users.mgr), started.approval!.id, {
      type: 'reject',
      task: task.task_key,
      actor: w.users.mgr.id,
      comment: 'No',
    })
    const left = await w.db.query(
      sql`select 1 from timers where kind = ${APPROVAL_TIMEOUT_KIND}
        and key = ${`${started.approval!.id}:${task.task_key}`}`,
    )
    expect(left).toEqual([])
    expect(await statusOf(id)).toBe('rejected')
  })
})

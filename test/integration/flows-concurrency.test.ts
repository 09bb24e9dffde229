import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyApprovalEvent, fireTransition } from '../../runtime/flows'
import { createRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { movesOf, openFlowWorld, tasksOf, type FlowWorld } from './flows-fixture'

// The race is real on PostgreSQL (8 connections); PGlite runs one transaction at a time, where
// the same answers must come out of the queue.
describe.each(testTargets())('flow concurrency on $name', (target) => {
  let w: FlowWorld
  let close: () => Promise<void>
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openFlowWorld(opened.db)
  })
  afterAll(() => close?.())

  const newExpense = async () => {
    const { record } = await createRecord(await w.as(w.users.emp), 'expense', {
      title: 'Conference',
      amount: 900,
    })
    return { id: record.id as string, version: record.version as number }
  }

  it('completes an or-sign step once under 50 simultaneous approvals; the rest are already decided', async () => {
    const e = await newExpense()
    const started = await fireTransition(await w.as(w.users.emp), 'expense', e.id, 'review', {
      version: e.version,
    })
    const tasks = await tasksOf(w.db, e.id)
    expect(tasks).toHaveLength(5)
    const calls = Array.from({ length: 50 }, async (_, i) => {
      const reviewer = w.users.reviewers[i % 5]
      const task = tasks.find((t) => t.assignee === reviewer.id)!
      const ctx = await w.as(reviewer)
      return applyApprovalEvent(ctx, started.approval!.id, {
        type: 'approve',
        task: task.task_key,
        actor: reviewer.id,
      })
    })
    const results = await Promise.allSettled(calls)
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost.map((r) => (r.reason as { code?: string }).code)).toEqual(
      Array(49).fill('ALREADY_DECIDED'),
    )
    const moves = await movesOf(w.db, e.id)
    // The submit's move into pending, then exactly one completion.
    expect(moves.map((m) => [m.payload.from, m.payload.to])).toEqual([
      ['draft', 'pending'],
      ['pending', 'approved'],
    ])
    const [row] = await w.db.query<{ status: string; version: number }>(
      sql`select status, version from app.expense where id = ${e.id}::uuid`,
    )
    expect(row).toEqual({ status: 'approved', version: e.version + 2 })
  })

  it('applies one of two simultaneous transitions on a record; the other gets 409', async () => {
    const e = await newExpense()
    const emp = await w.as(w.users.emp)
    const results = await Promise.allSettled([
      fireTransition(emp, 'expense', e.id, 'cancel', {
        version: e.version,
        inputs: { reason: 'a' },
      }),
      fireTransition(emp, 'expense', e.id, 'submit', { version: e.version }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!
    expect(lost.reason).toMatchObject({ status: 409 })
    const events = await movesOf(w.db, e.id)
    expect(events.length).toBeLessThanOrEqual(1)
    const [row] = await w.db.query<{ version: number }>(
      sql`select version from app.expense where id = ${e.id}::uuid`,
    )
    expect(row.version).toBe(e.version + 1)
  })
})

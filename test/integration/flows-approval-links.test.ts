import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Flow } from '../../metadata/flow'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import { actOnApprovalLink } from '../../runtime/approvals'
import { fireTransition } from '../../runtime/flows'
import { createRecord, updateRecord } from '../../runtime/records'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'
import {
  AT,
  office,
  expense,
  expenseFlow,
  expenseLine,
  openFlowWorld,
  payment,
  paymentLine,
  roles,
  type FlowWorld,
} from './flows-fixture'

/** The expense flow with `review` as a countersign of rev1 and rev2. */
const countersigned: Flow = {
  ...expenseFlow,
  transitions: expenseFlow.transitions.map((t) =>
    t.id !== 'review'
      ? t
      : {
          ...t,
          approval: {
            ...t.approval!,
            steps: [
              {
                id: 'board',
                label: { en: 'Board' },
                approvers: [{ user: 'rev1' }, { user: 'rev2' }],
                mode: 'all',
              },
            ],
          },
        },
  ),
}

describe.each(testTargets())('approval notice links on $name', (target) => {
  let w: FlowWorld
  let close: () => Promise<void>
  let meta: Ctx['meta']
  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    w = await openFlowWorld(opened.db)
    const base = { db: w.db, user: SYSTEM_USER, clock: fixedClock(AT), log: silentLogger }
    await publishMetadata(base, {
      packages: [],
      entities: [expense, expenseLine, payment, paymentLine],
      forms: [],
      views: [],
      roles,
      calendars: [office],
      flows: [countersigned],
    })
    meta = await loadPublishedMetadata(w.db)
    await w.db.query(sql`update users set locale = 'ko' where username = 'rev2'`)
  })
  afterAll(() => close?.())

  const as = async (user: FlowWorld['users']['emp']): Promise<Ctx> => ({
    ...(await w.as(user)),
    meta,
  })
  const system = async (): Promise<Ctx> => ({ ...(await w.system()), meta })

  /** A reviewed expense of emp and the link tokens in each reviewer's notice, by action. */
  async function reviewed(title: string) {
    const emp = await as(w.users.emp)
    const { record } = await createRecord(emp, 'expense', { title, amount: 10 })
    const fired = await fireTransition(emp, 'expense', record.id as string, 'review', {
      version: record.version as number,
    })
    const notices = await w.db.query<{ username: string; body: string | null }>(sql`
      select u.username, n.body from notifications n join users u on u.id = n.user_id
      where n.record_id = ${record.id as string}::uuid order by u.username`)
    const tokens = (username: string, label: string) =>
      new RegExp(`${label}\\s*(/api/approval-links/([A-Za-z0-9_-]+))`).exec(
        notices.find((n) => n.username === username)?.body ?? '',
      )?.[2] as string
    return { id: record.id as string, version: fired.record.version as number, notices, tokens }
  }

  it('puts approve and reject links in each new task notice, in its reader language', async () => {
    const r = await reviewed('Links')
    expect(r.notices.map((n) => n.username)).toEqual(['rev1', 'rev2'])
    expect(r.notices[0].body).toMatch(/^Approve: \/api\/approval-links\/\S+\nReject: \S+$/)
    expect(r.notices[1].body).toMatch(/^승인: \/api\/approval-links\/\S+\n반려: \S+$/)
    expect(r.tokens('rev1', 'Approve:')).not.toBe(r.tokens('rev1', 'Reject:'))
    const sent = ['rev1', 'rev2'].flatMap((u) => [r.tokens(u, u === 'rev1' ? 'Approve:' : '승인:')])
    expect(new Set(sent).size).toBe(2)
    // Links are signed, not stored: a row appears only once one is used.
    const used = () =>
      w.db.query<{ n: number }>(sql`select count(*)::int as n from approval_links l
        join approval_tasks t on t.id = l.task_id where t.record_id = ${r.id}::uuid`)
    expect((await used())[0].n).toBe(0)
    await actOnApprovalLink(await system(), r.tokens('rev1', 'Approve:'), {})
    expect((await used())[0].n).toBe(1)
  })

  it("keeps the other signer's link usable after one countersigner approves through theirs", async () => {
    const r = await reviewed('Countersign')
    const first = await actOnApprovalLink(await system(), r.tokens('rev1', 'Approve:'), {})
    expect([first.action, first.status, first.approval.status]).toEqual([
      'approve',
      'approved',
      'running',
    ])
    // The countersign approval changed nothing on the record: its version stays.
    expect(first.record.version).toBe(r.version)
    const second = await actOnApprovalLink(await system(), r.tokens('rev2', '승인:'), {})
    expect([second.status, second.approval.status]).toEqual(['approved', 'approved'])
  })

  it('refuses a link (409 RECORD_CHANGED) once the record was edited after it was sent', async () => {
    const r = await reviewed('Edited')
    await updateRecord(await system(), 'expense', r.id, { note: 'checked' }, r.version)
    const stale = actOnApprovalLink(await system(), r.tokens('rev2', '승인:'), {})
    await expect(stale).rejects.toMatchObject({ status: 409, code: 'RECORD_CHANGED' })
  })
})

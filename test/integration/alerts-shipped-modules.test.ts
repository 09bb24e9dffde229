import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '../../metadata/alert'
import { registerAlertHandlers, type AlertDeps } from '../../runtime/alerts'
import { createInProcessMailer, createInProcessSmsGateway } from '../../runtime/alerts/channels'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import {
  createHandlerRegistry,
  createInProcessQueue,
  registerBuiltInHandlers,
  runDueJobs,
} from '../../runtime/jobs'
import { createDepartment, createOrgUser } from '../../runtime/org'
import { createRecord, updateRecord } from '../../runtime/records'
import { loadPublishedMetadata, publishMetadata } from '../../runtime/registry'
import { loadSeedBundle } from '../../seeds'
import { ensureDemoAdmin } from '../../server/cli/demo'
import { testTargets } from '../support/databases'
import { notificationsOf } from './alerts-fixture'

/** A local time in Shanghai (UTC+8, the instance time zone here): 'YYYY-MM-DD', 'HH:mm'. */
const cn = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)

type Person = 'hr' | 'hrEast' | 'ann' | 'eve' | 'fin' | 'rep'

// The four modules as shipped, with the alerts they bring.
describe.each(testTargets())('the shipped alerts of the modules on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let admin: Ctx
  const ids = {} as Record<Person, string>
  const departments = {} as Record<'sales' | 'east' | 'finance', string>
  const mailer = createInProcessMailer()
  const sms = createInProcessSmsGateway()
  const deps: AlertDeps = {
    metadata: (tx) => loadPublishedMetadata(tx),
    mailer,
    sms,
    env: {},
    timeZone: 'Asia/Shanghai',
    locale: 'zh-CN', // an instance in China: a contact, who has no language of their own, gets Chinese
    baseUrl: 'https://crm.trellis.test',
  }

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const start = cn('2027-05-01', '08:00')
    const base = { db, user: SYSTEM_USER, clock: fixedClock(start), log: silentLogger }
    const { meta } = await publishMetadata(base, loadSeedBundle())
    admin = { ...base, meta }
    admin = { ...admin, user: await ensureDemoAdmin(admin) }
    const company = await createDepartment(admin, { name: 'Acme', kind: 'company' })
    const department = async (name: string, parentId: string) =>
      (await createDepartment(admin, { name, parentId })).id
    departments.sales = await department('Sales', company.id)
    departments.east = await department('Sales East', departments.sales)
    departments.finance = await department('Finance', company.id)
    const person = async (username: Person, locale: string, role: string, departmentId: string) => {
      const user = await createOrgUser(
        admin,
        {
          username,
          password: 'pw',
          displayName: username,
          email: `${username}@trellis.test`,
          locale,
          departmentId,
          roles: [role],
        },
        { allowWeakPassword: true },
      )
      ids[username] = user.id
    }
    await person('hr', 'en', 'hrClerk', company.id)
    await person('hrEast', 'en', 'hrClerk', departments.east)
    await person('ann', 'zh-CN', 'employee', departments.sales)
    await person('eve', 'ko', 'employee', departments.east)
    await person('fin', 'en', 'employee', departments.finance)
    // A member of Sales who may not read announcements at all.
    await person('rep', 'ko', 'salesRep', departments.sales)
  })
  afterAll(() => close?.())

  const at = async (now: Date): Promise<Ctx> => ({
    ...admin,
    clock: fixedClock(now),
    meta: await loadPublishedMetadata(db),
  })
  async function runAt(now: Date) {
    const handlers = registerAlertHandlers(registerBuiltInHandlers(createHandlerRegistry()), deps)
    const queue = createInProcessQueue({ backoffMs: 10 })
    try {
      return await runDueJobs({ db, queue, clock: fixedClock(now), log: silentLogger, handlers })
    } finally {
      await queue.close()
    }
  }
  const titlesOf = async (who: Person, alert: string) =>
    (await notificationsOf(db, ids[who])).filter((n) => n.alert === alert).map((n) => n.title)

  it('tells the members of the audience department when an announcement is published, in their language', async () => {
    const now = cn('2027-05-03', '10:00')
    const { record } = await createRecord(await at(now), 'announcement', {
      title: 'Quarterly kick-off',
      body: '<p>Friday at 10:00</p>',
      audience: departments.sales,
      author: ids.hr,
    })
    await runAt(now)
    expect(await titlesOf('ann', 'announcement-published')).toEqual([])
    const publishedAt = cn('2027-05-03', '11:00')
    await updateRecord(
      await at(publishedAt),
      'announcement',
      String(record.id),
      { publishedAt: publishedAt.toISOString() },
      1,
    )
    await runAt(publishedAt)
    expect(await titlesOf('ann', 'announcement-published')).toEqual(['新公告：Quarterly kick-off'])
    // Below Sales, in another department, or unable to read announcements: nothing.
    for (const other of ['eve', 'fin', 'rep', 'hrEast', 'hr'] as const)
      expect(await titlesOf(other, 'announcement-published'), other).toEqual([])
    const mail = mailer.sent.filter((m) => m.subject.includes('Quarterly kick-off'))
    expect(mail.map((m) => m.to)).toEqual([['ann@trellis.test']])
    // Published once: moving the time later tells nobody again.
    await updateRecord(
      await at(publishedAt),
      'announcement',
      String(record.id),
      { publishedAt: cn('2027-05-03', '12:00').toISOString() },
      2,
    )
    await runAt(publishedAt)
    expect(await titlesOf('ann', 'announcement-published')).toHaveLength(1)
  })

  it('tells every member of staff of an announcement for the whole company (no audience)', async () => {
    const publishedAt = cn('2027-05-05', '09:00')
    await createRecord(await at(publishedAt), 'announcement', {
      title: 'Office move',
      body: '<p>We move on 1 June.</p>',
      author: ids.hr,
      publishedAt: publishedAt.toISOString(),
    })
    await runAt(publishedAt)
    expect(await titlesOf('ann', 'announcement-published-company')).toEqual(['新公告：Office move'])
    expect(await titlesOf('eve', 'announcement-published-company')).toEqual([
      '새 공지사항: Office move',
    ])
    expect(await titlesOf('fin', 'announcement-published-company')).toEqual([
      'New announcement: Office move',
    ])
    // Not staff by role (the rep holds only salesRep here), and no department alert either.
    expect(await titlesOf('rep', 'announcement-published-company')).toEqual([])
    for (const who of ['ann', 'eve', 'fin'] as const)
      expect(await titlesOf(who, 'announcement-published'), who).not.toContain(
        '新公告：Office move',
      )
  })

  it('reaches the departments below with includeSubDepartments, still only readers', async () => {
    const now = cn('2027-05-04', '10:00')
    await publishMetadata({ db, user: null, clock: fixedClock(now), log: silentLogger }, (b) => {
      const shipped = b.alerts!.find((a) => a.id === 'announcement-published')!
      const tree: Alert = {
        ...shipped,
        id: 'announcement-published-tree',
        recipients: [{ type: 'departmentMembers', field: 'audience', includeSubDepartments: true }],
      }
      return { ...b, alerts: [...b.alerts!, tree] }
    })
    await createRecord(await at(now), 'announcement', {
      title: 'Sales offsite',
      body: '<p>June</p>',
      audience: departments.sales,
      author: ids.hr,
      publishedAt: now.toISOString(),
    })
    await runAt(now)
    expect(await titlesOf('hrEast', 'announcement-published-tree')).toEqual([
      'New announcement: Sales offsite',
    ])
    expect(await titlesOf('ann', 'announcement-published-tree')).toEqual(['新公告：Sales offsite'])
    // eve is below Sales but reads only her own department's announcements.
    for (const other of ['eve', 'fin', 'rep', 'hr'] as const)
      expect(await titlesOf(other, 'announcement-published-tree'), other).toEqual([])
  })

  it('texts a contact on their birthday every year at 09:30, and never one who opted out', async () => {
    const now = cn('2027-05-01', '12:00')
    const ctx = await at(now)
    const customer = String(
      (await createRecord(ctx, 'customer', { name: 'Lotus Electric' })).record.id,
    )
    const contact = (name: string, mobile: string, extra: Record<string, unknown>) =>
      createRecord(ctx, 'contact', { name, customer, mobile, birthday: '1990-05-10', ...extra })
    await contact('Li Wei', '+8613800000001', {})
    await contact('Kim Minji', '+82 10 0000 0002', { smsOptOut: true })
    await contact('Park Jisoo', '+821000000003', { birthday: '1985-05-11' })
    await runAt(now)
    await runAt(cn('2027-05-10', '09:29'))
    expect(sms.sent).toEqual([])
    await runAt(cn('2027-05-10', '09:30'))
    expect(sms.sent).toEqual([
      {
        to: '+8613800000001',
        text: 'Li Wei，生日快乐！祝您身体健康，新的一岁万事顺意。',
      },
    ])
    await runAt(cn('2027-05-11', '09:30'))
    expect(sms.sent.map((m) => m.to)).toEqual(['+8613800000001', '+821000000003'])
    await runAt(cn('2028-05-10', '09:30'))
    expect(sms.sent.map((m) => m.to)).toEqual(['+8613800000001', '+821000000003', '+8613800000001'])
  })

  it("reminds a sales order's owner 30 days before its contract ends, by notice and mail", async () => {
    const now = cn('2027-05-02', '09:00')
    const ctx = await at(now)
    const customer = String(
      (await createRecord(ctx, 'customer', { name: 'Bolt Trading' })).record.id,
    )
    const { record } = await createRecord(ctx, 'salesOrder', {
      customer,
      owner: ids.rep,
      contractEndsOn: '2027-06-30',
    })
    await runAt(now)
    await runAt(cn('2027-05-31', '08:59'))
    expect(await titlesOf('rep', 'contract-expiry')).toEqual([])
    await runAt(cn('2027-05-31', '09:00'))
    const number = String(record.number)
    expect(await titlesOf('rep', 'contract-expiry')).toEqual([
      expect.stringMatching(new RegExp(`^주문 ${number}의 계약이 .*2027.*에 만료됩니다$`)),
    ])
    const mail = mailer.sent.filter((m) => m.to.includes('rep@trellis.test'))
    expect(mail).toHaveLength(1)
    expect(mail[0].text).toContain('30일')
  })
})

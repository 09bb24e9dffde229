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
import { createRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { loadSeedBundle } from '../../seeds'
import { ensureDemoAdmin } from '../../server/cli/demo'
import { testTargets } from '../support/databases'

/** A local time in Shanghai: 'YYYY-MM-DD', 'HH:mm'. */
const cn = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)

/** A holiday greeting to every primary contact, on a schedule: the SMS care of a filtered list. */
const greeting: Alert = {
  id: 'mid-autumn-greeting',
  label: { en: 'Mid-Autumn greeting', 'zh-CN': '中秋问候', ko: '추석 인사' },
  entity: 'contact',
  trigger: { type: 'schedule', cron: '0 9 15 9 *', timeZone: 'Asia/Shanghai' },
  condition: { '==': [{ var: 'record.isPrimary' }, true] },
  recipients: [{ type: 'contact', phoneField: 'mobile' }],
  channels: [{ type: 'sms', optOutField: 'smsOptOut' }],
  template: {
    en: { title: 'Mid-Autumn', body: 'Happy Mid-Autumn Festival, {{record.name}}!' },
    'zh-CN': { title: '中秋', body: '{{record.name}}，中秋快乐！' },
  },
}

describe.each(testTargets())(
  'a scheduled alert over a filtered list of records on $name',
  (target) => {
    let db: Db
    let close: () => Promise<void>
    let ctx: Ctx
    const sms = createInProcessSmsGateway()
    const deps: AlertDeps = {
      metadata: async (tx) => (await import('../../runtime/registry')).loadPublishedMetadata(tx),
      mailer: createInProcessMailer(),
      sms,
      env: {},
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      planBatch: 2, // chunks of two records, so the walk takes several rounds
    }
    const runAt = async (now: Date) => {
      const handlers = registerAlertHandlers(registerBuiltInHandlers(createHandlerRegistry()), deps)
      const queue = createInProcessQueue({ backoffMs: 10 })
      try {
        return await runDueJobs({ db, queue, clock: fixedClock(now), log: silentLogger, handlers })
      } finally {
        await queue.close()
      }
    }

    beforeAll(async () => {
      ;({ db, close } = await target.open())
      const start = cn('2027-09-01', '08:00')
      const base = { db, user: SYSTEM_USER, clock: fixedClock(start), log: silentLogger }
      const bundle = loadSeedBundle()
      const { meta } = await publishMetadata(base, {
        ...bundle,
        alerts: [...(bundle.alerts ?? []), greeting],
      })
      ctx = { ...base, meta }
      ctx = { ...ctx, user: await ensureDemoAdmin(ctx) }
      const customer = String(
        (await createRecord(ctx, 'customer', { name: 'Lotus Electric' })).record.id,
      )
      const contact = (name: string, mobile: string, more: Record<string, unknown>) =>
        createRecord(ctx, 'contact', { name, customer, mobile, ...more })
      await contact('Li Wei', '+8613800000001', { isPrimary: true })
      await contact('Wang Fang', '+8613800000002', { isPrimary: true })
      await contact('Zhao Lei', '+8613800000003', { isPrimary: false })
      await contact('Kim Minji', '+821000000004', { isPrimary: true, smsOptOut: true })
      await contact('Chen Jing', '+8613800000005', { isPrimary: true })
      await runAt(start) // the publish plans the schedule
    })
    afterAll(() => close?.())

    it('texts every record its condition picks, once per run, opt-outs left out', async () => {
      await runAt(cn('2027-09-15', '08:59'))
      expect(sms.sent).toEqual([])
      await runAt(cn('2027-09-15', '09:00'))
      await runAt(cn('2027-09-15', '09:01')) // the walk's later chunks and a second pass
      expect(sms.sent.map((m) => m.to).sort()).toEqual([
        '+8613800000001',
        '+8613800000002',
        '+8613800000005',
      ])
      expect(sms.sent.find((m) => m.to === '+8613800000001')?.text).toBe('Li Wei，中秋快乐！')
      // Next year's run texts them again, once.
      await runAt(cn('2028-09-15', '09:00'))
      await runAt(cn('2028-09-15', '09:05'))
      expect(sms.sent).toHaveLength(6)
    })
  },
)

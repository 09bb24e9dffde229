import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createMemoryFileStore } from '../../runtime/files'
import { buildMetadataSet, createMetadataCache } from '../../runtime/registry'
import { createChromiumPrinter, type PdfPrinter } from '../../runtime/templates'
import { buildApp } from '../../server/app'
import { installDemo } from '../../server/cli/demo'
import { CHROMIUM_PATH } from '../browser/support/chromium'
import { testTargets } from '../support/databases'

type Json = Record<string, any>

/*
 * "Print and attach" on the shipped modules: a sales rep keeps the quote they sent and the
 * contract of their shipped order as PDFs in the records' Documents, though the flows lock
 * most of those records' fields by then; another rep reads neither.
 */
describe.each(testTargets())(
  'keeping the printed quote and contract on the demo on $name',
  (target) => {
    let db: Db
    let close: () => Promise<void>
    let printer: PdfPrinter
    let app: ReturnType<typeof buildApp>
    const tokens = new Map<string, string>()

    const call = async (method: string, path: string, who: string, body?: Json) => {
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${tokens.get(who)}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      })
      return res
    }
    /** The first record of `table` the user owns in one of `states`, tried in their order. */
    const ownedIn = async (table: string, who: string, states: string[]) => {
      for (const state of states) {
        const [row] = await db.query<{ id: string; number: string }>(sql`
        select t.id::text as id, t.number from ${sql.identifier('app')}.${sql.identifier(table)} t
        join users u on u.id = t.owner where u.username = ${who} and t.status = ${state}
        order by t.number limit 1`)
        if (row) return { ...row, state }
      }
      throw new Error(`${who} owns no ${table} in ${states.join(', ')}`)
    }

    beforeAll(async () => {
      ;({ db, close } = await target.open())
      const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
      const ctx: Ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta: empty }
      await installDemo(ctx, 0.1)
      printer = createChromiumPrinter({ executablePath: CHROMIUM_PATH })
      app = buildApp({
        db,
        clock: systemClock,
        log: pino({ level: 'silent' }),
        metadata: createMetadataCache(db),
        files: createMemoryFileStore(),
        printer,
      })
      for (const username of ['rep_east1', 'rep_west1']) {
        const res = await app.request('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'demo' }),
        })
        tokens.set(username, ((await res.json()) as Json).token)
      }
    }, 300_000)
    afterAll(async () => {
      await printer?.close()
      await close?.()
    })

    it('keeps the quote a rep sent in its Documents, in the language it was printed in', async () => {
      const quote = await ownedIn('quote', 'rep_east1', [
        'sent',
        'accepted',
        'approved',
        'converted',
      ])
      const res = await call('POST', `/api/data/quote/${quote.id}/print/quote-print`, 'rep_east1', {
        lang: 'zh-CN',
      })
      expect(res.status).toBe(201)
      const kept = (await res.json()) as Json
      expect(kept).toMatchObject({
        field: 'attachments',
        file: { name: `报价单 ${quote.number}.pdf`, type: 'application/pdf' },
      })
      const record = (await (
        await call('GET', `/api/data/quote/${quote.id}`, 'rep_east1')
      ).json()) as Json
      expect(record.attachments.map((f: Json) => f.id)).toEqual([kept.file.id])
      const pdf = await call('GET', `/api/files/${kept.file.id}`, 'rep_east1')
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-')
      expect((await call('GET', `/api/files/${kept.file.id}`, 'rep_west1')).status).toBe(404)
    }, 60_000)

    it('keeps the sales contract of the rep’s order on the order, shipped or not', async () => {
      const order = await ownedIn('sales_order', 'rep_east1', [
        'shipped',
        'completed',
        'pendingApproval',
        'confirmed',
        'draft',
      ])
      const res = await call(
        'POST',
        `/api/data/salesOrder/${order.id}/print/sales-contract`,
        'rep_east1',
        { lang: 'en' },
      )
      expect(res.status).toBe(201)
      expect(((await res.json()) as Json).field).toBe('attachments')
      const record = (await (
        await call('GET', `/api/data/salesOrder/${order.id}`, 'rep_east1')
      ).json()) as Json
      expect(record.attachments).toHaveLength(1)
      expect(record.attachments[0].type).toBe('application/pdf')
    }, 60_000)
  },
)

import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { toLabel } from '../../metadata/labels'
import type { Report } from '../../metadata/report'
import type { Template } from '../../metadata/template'
import type { MetadataSet } from '../../runtime/registry'
import { columnName } from '../../runtime/schema'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { PNG } from './files-fixture'
import { openShippedWorld, type ShippedWorld } from './shipped-io-world'

/**
 * The permission matrix of the SHIPPED roles over the demo organisation, extended to what leaves
 * the platform: report runs and drill-downs, CSV and XLSX exports, prints, file downloads and
 * previews, uploads and imports. Every user × entity is compared with the permission oracle
 * (test/support/permission-oracle.ts), and every answer is searched for the marker values put
 * into the text fields some role may not read.
 */

type Json = Record<string, any>
const kebab = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
const MARKED_TYPES = new Set(['text', 'longText'])
const FILES_PER_FIELD = 2
const UNFILTERABLE = new Set(['attachment', 'attachments', 'json', 'childTable'])

/** Every (entity, field) some shipped role hides. */
function hiddenPairs(meta: MetadataSet): [string, string][] {
  const pairs = new Set<string>()
  for (const role of meta.roles.values())
    for (const grant of role.grants)
      for (const [field, access] of Object.entries(grant.fields ?? {}))
        if (access === 'none') pairs.add(`${grant.entity}|${field}`)
  return [...pairs].map((p) => p.split('|') as [string, string])
}

const topEntities = (meta: MetadataSet) => [...meta.entities.values()].filter((e) => !e.childOf)

/** A count report per entity, one per hidden field reading it, and prints of every field. */
function extraDefinitions(meta: MetadataSet): { reports: Report[]; templates: Template[] } {
  const label = { en: 'IO matrix' }
  const reports: Report[] = topEntities(meta).map((e) => ({
    id: `io-count-${kebab(e.id)}`,
    label,
    entity: e.id,
    measures: [{ id: 'n', aggregate: 'count' }],
  }))
  // Files and JSON are never filtered on (a report filtering on them is refused: see the report).
  const filterable = ([entity, field]: [string, string]) =>
    !UNFILTERABLE.has(meta.entities.get(entity)?.fields.find((f) => f.name === field)?.type ?? '')
  for (const [entity, field] of hiddenPairs(meta).filter(filterable))
    reports.push({
      id: `io-hidden-${kebab(entity)}-${kebab(field)}`,
      label,
      entity,
      measures: [{ id: 'n', aggregate: 'count' }],
      filter: { '!=': [{ var: field }, null] },
    })
  // Prints of the entities some role may print (the others refuse everyone but administrators).
  const printed = (e: Entity) =>
    [...meta.roles.values()].some((r) =>
      r.grants.some((g) => g.entity === e.id && (g.scopes.print ?? 'none') !== 'none'),
    )
  const templates: Template[] = topEntities(meta)
    .filter(printed)
    .map((e) => ({
      id: `io-print-${kebab(e.id)}`,
      label,
      entity: e.id,
      body: {
        en: e.fields
          .filter((f) => f.type !== 'childTable')
          .map((f) => `<p>${f.name}: {{record.${f.name}}}</p>`)
          .join(''),
      },
    }))
  return { reports, templates }
}

const diff = (want: Set<string>, got: string[]) => ({
  missing: [...want].filter((id) => !got.includes(id)).length,
  extra: got.filter((id) => !want.has(id)).length,
  twice: got.length - new Set(got).size,
})
const same = (d: ReturnType<typeof diff>) => !d.missing && !d.extra && !d.twice

describe.each(testTargets())(
  'the shipped roles on reports, exports, prints and files on $name',
  (target) => {
    let w: ShippedWorld
    /** Marker text → the entity and field whose rows hold it. */
    const markers = new Map<string, [string, string]>()
    /** Markers found where the reader may see them: proof the leak check looks at real text. */
    const stats = { requests: 0, checks: 0, visibleMarkers: 0, exportBeyondRead: [] as string[] }
    let started = 0

    const api = (method: string, path: string, who: string, body?: unknown) => {
      stats.requests++
      return w.api(method, path, who, body)
    }
    const entity = (id: string) => w.meta.entities.get(id)!
    const allowed = (
      who: string,
      entityId: string,
      action: 'read' | 'export' | 'print' | 'update',
    ) => w.oracle.allowed(w.user(who), entityId, action)
    const can = (who: string, entityId: string, action: 'read' | 'export' | 'print' | 'import') =>
      w.oracle.canAttempt(w.user(who), entityId, action)

    /** Marker values of fields hidden from `who` found in `text`. */
    function leakedMarkers(who: string, text: string): string[] {
      const found: string[] = []
      for (const [marker, [entityId, field]] of markers)
        if (!text.includes(marker)) continue
        else if (w.oracle.hidden(w.user(who), entityId).has(field))
          found.push(`${entityId}.${field}`)
        else stats.visibleMarkers++
      return found
    }

    /** Every id of a drill-down, page by page. */
    async function drillAll(who: string, report: string, query = ''): Promise<Json> {
      const ids: string[] = []
      const rows: Json[] = []
      let cursor: string | null = null
      for (let n = 0; n < 50; n++) {
        const q = `${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        const res = await api('GET', `/api/reports/${report}/drill?${q}`, who)
        if (res.status !== 200) return { status: res.status, ids, rows, text: res.text }
        rows.push(...res.body.data)
        ids.push(...res.body.data.map((r: Json) => r.id as string))
        cursor = res.body.nextCursor
        if (!cursor) break
      }
      return { status: 200, ids, rows, text: JSON.stringify(rows) }
    }

    beforeAll(async () => {
      started = Date.now()
      w = await openShippedWorld(target, extraDefinitions)
      // Text fields some role may not read hold a marker in every row.
      for (const [entityId, field] of hiddenPairs(w.meta)) {
        const def = entity(entityId).fields.find((f) => f.name === field)
        if (!def || !MARKED_TYPES.has(def.type)) continue
        const marker = `IOLEAK${markers.size}X`
        markers.set(marker, [entityId, field])
        await w.db.query(
          sql`update ${w.table(entityId)} set ${sql.identifier(columnName(def))} = ${`${marker} `} || left(id::text, 8)`,
        )
      }
      // Reads the oracle cannot derive from ownership alone: a share to a user and one to a department.
      const west = await w.db.query<{ id: string }>(
        sql`select c.id::text as id from ${w.table('customer')} c join users u on u.id = c.owner
        where u.username = 'rep_west1' order by c.created_at, c.id limit 2`,
      )
      const shareTo = async (id: string, body: Json) =>
        expect((await api('POST', `/api/data/customer/${id}/shares`, 'admin', body)).status).toBe(
          201,
        )
      await shareTo(west[0].id, { userId: w.user('rep_east1').id, access: 'read' })
      await shareTo(west[1].id, { departmentId: w.user('agent1').departmentId, access: 'write' })
      await w.refresh()
    }, 120_000)

    afterAll(async () => {
      await w?.close()
      console.log(
        `[permissions-matrix-io ${target.name}] ${w?.everyone.length} users, ${markers.size} marked hidden fields, ` +
          `${stats.checks} checks, ${stats.requests} requests, ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `export scope reaching past the read scope (left out of exports): ${stats.exportBeyondRead.join(', ') || 'none'}`,
      )
    })

    it('hides marked fields from someone, so the leak checks below can fail', () => {
      expect(markers.size).toBeGreaterThan(0)
      const hiding = w.everyone.filter((who) =>
        [...markers.values()].some(([e, f]) => w.oracle.hidden(w.user(who), e).has(f)),
      )
      expect(hiding.length).toBeGreaterThan(1)
    })

    it('runs, exports and drills a count report over exactly the read scope for every user × entity', async () => {
      const problems: string[] = []
      for (const who of w.everyone)
        for (const e of topEntities(w.meta)) {
          const id = `io-count-${kebab(e.id)}`
          const run = await api('GET', `/api/reports/${id}/run`, who)
          const drill = await drillAll(who, id)
          const file = await api('GET', `/api/reports/${id}/export`, who)
          stats.checks++
          const where = `${who} ${id}`
          // A report's file needs the export right besides the read right; it counts the read scope.
          const exportable = can(who, e.id, 'read') && can(who, e.id, 'export')
          const counted = Number(parseCsv(file.text)[1]?.[0])
          if (file.status !== (exportable ? 200 : 403))
            problems.push(`${where}: export ${file.status}, want ${exportable ? 200 : 403}`)
          else if (exportable && counted !== allowed(who, e.id, 'read').size)
            problems.push(`${where}: export counts ${counted}`)
          if (!can(who, e.id, 'read')) {
            if (run.status !== 403 || drill.status !== 403)
              problems.push(`${where}: ${run.status}/${drill.status}, want 403`)
            continue
          }
          const want = allowed(who, e.id, 'read')
          const total = (run.body.rows ?? []).reduce(
            (s: number, r: Json) => s + Number(r.values.n),
            0,
          )
          if (run.status !== 200 || total !== want.size)
            problems.push(`${where}: run ${run.status} counts ${total}, want ${want.size}`)
          const d = diff(want, drill.ids)
          if (drill.status !== 200 || !same(d))
            problems.push(`${where}: drill ${drill.status} ${JSON.stringify(d)}`)
          const hidden = w.oracle.hidden(w.user(who), e.id)
          const shown = drill.rows.flatMap((r: Json) => Object.keys(r).filter((k) => hidden.has(k)))
          if (shown.length) problems.push(`${where}: drill rows show ${[...new Set(shown)]}`)
          const leaks = leakedMarkers(who, drill.text)
          if (leaks.length) problems.push(`${where}: drill leaks ${leaks}`)
        }
      expect(problems).toEqual([])
    }, 120_000)

    it('refuses a report reading a hidden field with 403 naming it, and lists it only to those who may run it', async () => {
      const problems: string[] = []
      let refused = 0
      for (const who of w.everyone) {
        const list = await api('GET', '/api/reports', who)
        if (list.status !== 200) {
          problems.push(`${who} lists reports: ${list.status} ${list.text.slice(0, 300)}`)
          continue
        }
        const listed = new Set(list.body.data.map((r: Json) => r.id))
        for (const [entityId, field] of hiddenPairs(w.meta)) {
          if (!w.meta.reports.has(`io-hidden-${kebab(entityId)}-${kebab(field)}`)) continue
          const id = `io-hidden-${kebab(entityId)}-${kebab(field)}`
          const run = await api('GET', `/api/reports/${id}/run`, who)
          const drill = await api('GET', `/api/reports/${id}/drill`, who)
          const file = await api('GET', `/api/reports/${id}/export`, who)
          stats.checks++
          const hidden = w.oracle.hidden(w.user(who), entityId).has(field)
          if (file.status === 200 && hidden) problems.push(`${who} ${id}: exported`)
          const runnable = can(who, entityId, 'read') && !hidden
          const want = runnable ? 200 : 403
          if (run.status !== want || drill.status !== want)
            problems.push(`${who} ${id}: ${run.status}/${drill.status}, want ${want}`)
          if (can(who, entityId, 'read') && hidden) {
            refused++
            if (!run.text.includes(`'${field}'`)) problems.push(`${who} ${id}: 403 names no field`)
          }
          if (listed.has(id) !== runnable) problems.push(`${who} ${id}: listed ${listed.has(id)}`)
        }
      }
      expect(problems).toEqual([])
      expect(refused).toBeGreaterThan(0)
    }, 120_000)

    it('runs every shipped report as every user over the admin’s rows narrowed to their read scope', async () => {
      const problems: string[] = []
      const shipped = [...w.meta.reports.values()].filter((r) => !r.id.startsWith('io-'))
      expect(shipped.length).toBeGreaterThanOrEqual(5)
      for (const report of shipped) {
        const params = (report.parameters ?? [])
          .filter((p) => p.type === 'dateRange')
          .map((p) => `${p.id}=..`)
          .join('&')
        const all = await drillAll('admin', report.id, params)
        expect(all.status, report.id).toBe(200)
        const reads = new Set(JSON.stringify(report).match(/"(field|var)":"[A-Za-z0-9_.]+"/g) ?? [])
        const fields = [...reads].map((m) => m.split('"')[3].split('.')[0])
        for (const who of w.everyone) {
          const run = await api('GET', `/api/reports/${report.id}/run?${params}`, who)
          const drill = await drillAll(who, report.id, params)
          stats.checks++
          const where = `${who} ${report.id}`
          const hidden = w.oracle.hidden(w.user(who), report.entity)
          if (!can(who, report.entity, 'read') || fields.some((f) => hidden.has(f))) {
            if (run.status !== 403 || drill.status !== 403)
              problems.push(`${where}: ${run.status}/${drill.status}, want 403`)
            continue
          }
          const readable = allowed(who, report.entity, 'read')
          const want = new Set<string>(all.ids.filter((id: string) => readable.has(id)))
          const d = diff(want, drill.ids)
          if (run.status !== 200 || drill.status !== 200 || !same(d))
            problems.push(`${where}: ${run.status}/${drill.status} ${JSON.stringify(d)}`)
          // Each cell of the caller's run drills to records of their scope only.
          for (const row of (run.body.rows ?? []).filter((r: Json) => !r.total).slice(0, 4)) {
            const cell = encodeURIComponent(JSON.stringify(row.keys))
            const part = await drillAll(who, report.id, `${params}&cell=${cell}`)
            const outside = part.ids.filter((id: string) => !want.has(id))
            if (part.status !== 200 || outside.length)
              problems.push(`${where} cell ${cell}: ${part.status}, ${outside.length} outside`)
          }
          const leaks = leakedMarkers(who, run.text + drill.text)
          if (leaks.length) problems.push(`${where}: leaks ${leaks}`)
        }
      }
      expect(problems).toEqual([])
    }, 120_000)

    /** The labels an export heads its columns with in English: every readable field. */
    function exportLabels(who: string, e: Entity): string[] {
      const hidden = w.oracle.hidden(w.user(who), e.id)
      return e.fields
        .filter((f) => f.type !== 'childTable' && !hidden.has(f.name))
        .flatMap((f) => {
          const text = toLabel(f.label, 'en', f.name)
          return f.type === 'money' ? [text, `${text} (currency)`] : [text]
        })
    }

    it('exports as CSV and XLSX exactly the export scope within the read scope, with no hidden column or value', async () => {
      const problems: string[] = []
      let compared = 0
      for (const who of w.everyone)
        for (const e of w.meta.entities.values()) {
          const csv = await api('GET', `/api/data/${e.id}/export`, who)
          const xlsx = await api('GET', `/api/data/${e.id}/export?format=xlsx`, who)
          stats.checks++
          const where = `${who} exports ${e.id}`
          if (!can(who, e.id, 'export')) {
            if (csv.status !== 403 || xlsx.status !== 403)
              problems.push(`${where}: ${csv.status}/${xlsx.status}, want 403`)
            continue
          }
          if (csv.status !== 200 || xlsx.status !== 200) {
            problems.push(`${where}: ${csv.status}/${xlsx.status}`)
            continue
          }
          const want = exportLabels(who, e)
          const [header, ...rows] = parseCsv(csv.text)
          const book = new ExcelJS.Workbook()
          await book.xlsx.load(new Uint8Array(Buffer.from(xlsx.text, 'base64')).buffer)
          const sheet: string[][] = []
          book.worksheets[0].eachRow((row) =>
            sheet.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
          )
          const [labels] = sheet
          // Both headed by the labels of the readable fields (the id is left out by default).
          if (header.join() !== want.join()) problems.push(`${where}: CSV columns ${header}`)
          if (labels.join() !== header.join()) problems.push(`${where}: XLSX columns ${labels}`)
          if (rows.length !== sheet.length - 1)
            problems.push(`${where}: ${rows.length} CSV rows, ${sheet.length - 1} XLSX rows`)
          // Asked for, the id column tells which records each file holds.
          const csvById = await api('GET', `/api/data/${e.id}/export?fields=id`, who)
          const xlsxById = await api('GET', `/api/data/${e.id}/export?format=xlsx&fields=id`, who)
          const idBook = new ExcelJS.Workbook()
          await idBook.xlsx.load(new Uint8Array(Buffer.from(xlsxById.text, 'base64')).buffer)
          const sheetRows: string[][] = []
          idBook.worksheets[0].eachRow((row) =>
            sheetRows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
          )
          sheetRows.shift()
          const [, ...idRows] = parseCsv(csvById.text)
          if (idRows.length !== rows.length)
            problems.push(`${where}: ${rows.length} rows, ${idRows.length} ids`)
          // The export scope within the read scope (docs/metadata.md); noted where the export
          // scope alone would reach records the reader may not open.
          const read = allowed(who, e.id, 'read')
          const exportable = [...allowed(who, e.id, 'export')]
          const scope = new Set(exportable.filter((id) => read.has(id)))
          const beyond = exportable.length - scope.size
          if (beyond) stats.exportBeyondRead.push(`${who}/${e.id}: ${beyond}`)
          const csvIds = idRows.map((r) => r[0])
          const xlsxIds = sheetRows.map((r) => r[0])
          if (!same(diff(scope, csvIds)))
            problems.push(`${where}: CSV ${JSON.stringify(diff(scope, csvIds))}`)
          if (!same(diff(scope, xlsxIds)))
            problems.push(`${where}: XLSX ${JSON.stringify(diff(scope, xlsxIds))}`)
          const leaks = leakedMarkers(who, csv.text + JSON.stringify(sheet))
          if (leaks.length) problems.push(`${where}: leaks ${leaks}`)
          compared += csvIds.length + xlsxIds.length
        }
      expect(problems).toEqual([])
      expect(compared).toBeGreaterThan(100)
      expect(stats.visibleMarkers).toBeGreaterThan(0)
    }, 180_000)

    /** Up to n ids spread over a set. */
    const sample = (ids: Iterable<string>, n: number) => {
      const sorted = [...ids].sort()
      const step = Math.max(1, sorted.length / n)
      return Array.from(
        { length: Math.min(n, sorted.length) },
        (_, i) => sorted[Math.floor(i * step)],
      )
    }

    it('prints only records in the read (else 404) and print (else 403) scope, never a hidden field', async () => {
      const problems: string[] = []
      const outcomes = { ok: 0, 403: 0, 404: 0 }
      for (const template of w.meta.templates.values()) {
        const everything = w.oracle.world.records.get(template.entity)!.map((r) => r.id)
        for (const who of w.everyone) {
          const readable = allowed(who, template.entity, 'read')
          const printable = can(who, template.entity, 'print')
            ? allowed(who, template.entity, 'print')
            : new Set<string>()
          const picks = new Set([
            ...sample(
              [...readable].filter((id) => printable.has(id)),
              2,
            ),
            ...sample(
              [...readable].filter((id) => !printable.has(id)),
              1,
            ),
            ...sample(
              everything.filter((id) => !readable.has(id)),
              1,
            ),
          ])
          for (const id of picks) {
            const res = await api(
              'GET',
              `/api/data/${template.entity}/${id}/print/${template.id}?format=html`,
              who,
            )
            stats.checks++
            const want = !readable.has(id) ? 404 : printable.has(id) ? 200 : 403
            const where = `${who} prints ${template.id} ${id.slice(0, 8)}`
            if (res.status !== want) problems.push(`${where}: ${res.status}, want ${want}`)
            else outcomes[want === 200 ? 'ok' : want]++
            const leaks = leakedMarkers(who, res.text)
            if (leaks.length) problems.push(`${where}: leaks ${leaks}`)
          }
        }
      }
      expect(problems).toEqual([])
      expect(Math.min(outcomes.ok, outcomes[403], outcomes[404])).toBeGreaterThan(0)
    }, 120_000)

    /** Attachment fields of top-level entities. */
    const fileFields = () =>
      topEntities(w.meta).flatMap((e) =>
        e.fields
          .filter((f) => f.type === 'attachment' || f.type === 'attachments')
          .map((f) => ({ entity: e, field: f })),
      )

    const upload = async (who: string, entityId: string, field: string, name = 'io.png') => {
      const form = new FormData()
      form.append('file', new Blob([PNG], { type: 'image/png' }), name)
      return api('POST', `/api/files?entity=${entityId}&field=${field}`, who, form)
    }
    const attach = async (
      who: string,
      entityId: string,
      id: string,
      field: string,
      file: string,
    ) => {
      const [row] = await w.db.query<{ version: number }>(
        sql`select version from ${w.table(entityId)} where id = ${id}::uuid`,
      )
      const value =
        entity(entityId).fields.find((f) => f.name === field)!.type === 'attachments'
          ? [{ id: file }]
          : { id: file }
      return api('PATCH', `/api/data/${entityId}/${id}`, who, {
        version: row.version,
        [field]: value,
      })
    }

    it('serves a file, and its preview, to exactly those who may read its record and field', async () => {
      const problems: string[] = []
      const files: { entity: string; field: string; record: string; file: string }[] = []
      for (const { entity: e, field } of fileFields()) {
        const ids = sample(
          w.oracle.world.records.get(e.id)!.map((r) => r.id),
          1000,
        )
        let attached = 0
        for (const record of ids) {
          if (attached === FILES_PER_FIELD) break
          const up = await upload('admin', e.id, field.name)
          expect(up.status, `${e.id}.${field.name}`).toBe(201)
          const res = await attach('admin', e.id, record, field.name, up.body.id)
          if (res.status !== 200) continue
          files.push({ entity: e.id, field: field.name, record, file: up.body.id })
          attached++
        }
        if (!attached) problems.push(`no ${e.id} record takes a file in ${field.name}`)
      }
      await w.refresh()
      let served = 0
      for (const f of files)
        for (const who of w.everyone) {
          const hidden = w.oracle.hidden(w.user(who), f.entity).has(f.field)
          const want = allowed(who, f.entity, 'read').has(f.record) && !hidden ? 200 : 404
          const get = await api('GET', `/api/files/${f.file}`, who)
          const preview = await api('GET', `/api/files/${f.file}/preview`, who)
          stats.checks++
          if (get.status !== want || preview.status !== want)
            problems.push(
              `${who} ${f.entity}.${f.field}: ${get.status}/${preview.status}, want ${want}`,
            )
          if (want === 200) served++
        }
      expect(problems).toEqual([])
      expect(served).toBeGreaterThan(0)
      expect(served).toBeLessThan(files.length * w.everyone.length)
    }, 180_000)

    it('attaches an upload only to a record the uploader may update; a refused one stays unattached', async () => {
      const problems: string[] = []
      const outcomes = { ok: 0, 403: 0, 404: 0 }
      for (const who of w.everyone.filter((u) => u !== 'admin'))
        for (const { entity: e, field } of fileFields()) {
          if (w.oracle.hidden(w.user(who), e.id).has(field.name)) continue
          const writes =
            w.oracle.canAttempt(w.user(who), e.id, 'create') ||
            w.oracle.canAttempt(w.user(who), e.id, 'update')
          const up = await upload(who, e.id, field.name)
          stats.checks++
          if (!writes) {
            if (up.status !== 403)
              problems.push(`${who} uploads to ${e.id}: ${up.status}, want 403`)
            continue
          }
          if (up.status !== 201) {
            problems.push(`${who} uploads to ${e.id}.${field.name}: ${up.status} ${up.text}`)
            continue
          }
          const readable = allowed(who, e.id, 'read')
          const updatable = allowed(who, e.id, 'update')
          const everything = w.oracle.world.records.get(e.id)!.map((r) => r.id)
          const targets: [string | undefined, number][] = [
            [
              sample(
                everything.filter((id) => !readable.has(id)),
                1,
              )[0],
              404,
            ],
            [
              sample(
                [...readable].filter((id) => !updatable.has(id)),
                1,
              )[0],
              403,
            ],
          ]
          for (const [record, want] of targets) {
            if (!record) continue
            const res = await attach(who, e.id, record, field.name, up.body.id)
            if (res.status !== want)
              problems.push(`${who} attaches to ${e.id}: ${res.status}, want ${want}`)
            else outcomes[want as 403 | 404]++
          }
          const [row] = await w.db.query<{ record_id: string | null }>(
            sql`select record_id::text as record_id from files where id = ${up.body.id}::uuid`,
          )
          if (row.record_id)
            problems.push(`${who}'s refused upload got attached to ${row.record_id}`)
          const mine = sample(updatable, 1)[0]
          if (mine) {
            const res = await attach(who, e.id, mine, field.name, up.body.id)
            // A record its flow has locked refuses every write, files included.
            if (res.status === 200) outcomes.ok++
            else if (res.status !== 403 || !res.text.includes('is locked'))
              problems.push(
                `${who} attaches to own ${e.id}: ${res.status} ${res.text.slice(0, 200)}`,
              )
          }
        }
      expect(problems).toEqual([])
      expect(Math.min(outcomes.ok, outcomes[403], outcomes[404])).toBeGreaterThan(0)
      // Every stored file sits under the files folder, named by its key alone.
      const stored = readdirSync(w.filesDir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => relative(w.filesDir, join(d.parentPath, d.name)))
      expect(stored.length).toBeGreaterThan(0)
      expect(stored.filter((p) => !/^[0-9a-f]{2}\/[0-9a-f]{2}[0-9a-f-]+$/.test(p))).toEqual([])
    }, 180_000)

    it('imports only with the import right and only rows inside the create and update scopes', async () => {
      const csv = (text: string) => {
        const form = new FormData()
        form.append('file', new Blob([text], { type: 'text/csv' }), 'io.csv')
        return form
      }
      const problems: string[] = []
      for (const who of w.everyone)
        for (const e of topEntities(w.meta)) {
          const res = await api('POST', `/api/import/preview?entity=${e.id}`, who, csv('id\nx\n'))
          stats.checks++
          const want = can(who, e.id, 'import') ? [200, 400, 422] : [403]
          if (!want.includes(res.status)) problems.push(`${who} previews ${e.id}: ${res.status}`)
        }
      expect(problems).toEqual([])
      // The director imports customers in the `own` create scope and updates within their team.
      const outsider = await w.db.query<{ id: string; name: string; version: number }>(
        sql`select id::text as id, name, version from ${w.table('customer')} order by created_at limit 1`,
      )
      await w.db.query(
        sql`update ${w.table('customer')} set owner = ${w.user('agent1').id}::uuid where id = ${outsider[0].id}::uuid`,
      )
      const text =
        'name,owner,notes\nIO Mine,director,a\nIO Theirs,agent1,b\n' +
        `"${outsider[0].name}",director,taken\n`
      const run = await api(
        'POST',
        '/api/import?entity=customer&mode=upsert&key=name',
        'director',
        csv(text),
      )
      expect(run.status).toBe(202)
      const events = await api('GET', `/api/import/jobs/${run.body.id}/events`, 'director')
      const end = JSON.parse(/event: end\ndata: (.*)\n/.exec(events.text)![1])
      expect(end).toMatchObject({ status: 'done', inserted: 1, updated: 0, failed: 2 })
      const errors = parseCsv(
        (await api('GET', `/api/import/jobs/${run.body.id}/errors`, 'director')).text,
      )
      expect(errors.slice(1).map((r) => r[0])).toEqual(['IO Theirs', outsider[0].name])
      const made = await w.db.query<{ name: string; owner: string; notes: string | null }>(
        sql`select name, owner::text as owner, notes from ${w.table('customer')}
        where name like 'IO %' or id = ${outsider[0].id}::uuid order by name`,
      )
      expect(made.map((r) => [r.name, r.owner, r.notes === 'taken'])).toEqual(
        [
          ['IO Mine', w.user('director').id, false],
          [outsider[0].name, w.user('agent1').id, false],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      )
    }, 60_000)

    it('lets a sales rep import leads, customers and contacts as their own, never a colleague’s', async () => {
      for (const entityId of ['lead', 'customer', 'contact'])
        expect(can('rep_east1', entityId, 'import'), entityId).toBe(true)
      for (const entityId of ['opportunity', 'quote', 'salesOrder', 'product'])
        expect(can('rep_east1', entityId, 'import'), entityId).toBe(false)
      const rep = w.user('rep_east1').id
      const ownedBy = (owner: string) =>
        w.db.query<{ name: string }>(
          sql`select name from ${w.table('customer')} where owner = ${owner}::uuid order by name limit 1`,
        )
      const [mine] = await ownedBy(rep)
      const [theirs] = await ownedBy(w.user('rep_west1').id)
      const form = new FormData()
      const text =
        'name,owner,notes\nIO Rep New,,fresh\nIO Rep Given,rep_west1,x\n' +
        `"${mine.name}",,mine updated\n"${theirs.name}",,overwritten\n`
      form.append('file', new Blob([text], { type: 'text/csv' }), 'rep.csv')
      const path = '/api/import?entity=customer&mode=upsert&key=name'
      const run = await api('POST', path, 'rep_east1', form)
      expect(run.status).toBe(202)
      const events = await api('GET', `/api/import/jobs/${run.body.id}/events`, 'rep_east1')
      const end = JSON.parse(/event: end\ndata: (.*)\n/.exec(events.text)![1])
      expect(end).toMatchObject({ status: 'done', inserted: 1, updated: 1, failed: 2 })
      const errors = parseCsv(
        (await api('GET', `/api/import/jobs/${run.body.id}/errors`, 'rep_east1')).text,
      )
      expect(errors.slice(1).map((r) => r[0])).toEqual(['IO Rep Given', theirs.name])
      const notes = await w.db.query<{ name: string; owner: string; notes: string | null }>(
        sql`select name, owner::text as owner, notes from ${w.table('customer')}
        where name in (${'IO Rep New'}, ${'IO Rep Given'}, ${mine.name}, ${theirs.name}) order by name`,
      )
      const byName = new Map(notes.map((r) => [r.name, r]))
      expect(byName.get('IO Rep New')).toMatchObject({ owner: rep, notes: 'fresh' })
      expect(byName.has('IO Rep Given')).toBe(false)
      expect(byName.get(mine.name)?.notes).toBe('mine updated')
      expect(byName.get(theirs.name)?.notes).not.toBe('overwritten')
    }, 60_000)
  },
)

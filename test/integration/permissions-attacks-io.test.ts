import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Report } from '../../metadata/report'
import type { Role } from '../../metadata/role'
import type { Template } from '../../metadata/template'
import { createRecord } from '../../runtime/records'
import { testTargets } from '../support/databases'
import { parseCsv } from '../support/parse-csv'
import { PNG } from './files-fixture'
import { openPermissionsApp, type PermissionsApp, type Reply } from './permissions-app'
import {
  PEOPLE,
  openPermissionsFixture,
  seedAccount,
  type PermissionsFixture,
  type Person,
} from './permissions-fixture'

/*
 * Attack strings in report parameters, import mappings, headers and cells, export and print
 * options and uploaded file names, sent by a sales rep of the permissions fixture: never a 500,
 * never SQL error text in an answer, never a row outside the rep's scope, never a file outside
 * the files folder.
 */

const label = (en: string) => ({ en })

/** Visits: owned, with a select, a date, a read-only amount and a note reps may not read. */
const visit: Entity = {
  id: 'visit',
  label: label('Visit'),
  titleField: 'title',
  ownerField: 'owner',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'code', type: 'text', label: label('Code'), unique: true },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
    {
      name: 'kind',
      type: 'select',
      label: label('Kind'),
      options: [
        { value: 'call', label: label('Call') },
        { value: 'meeting', label: label('Meeting') },
      ],
    },
    { name: 'visitedOn', type: 'date', label: label('Visited on') },
    { name: 'amount', type: 'integer', label: label('Amount') },
    { name: 'note', type: 'text', label: label('Note') },
    { name: 'files', type: 'attachments', label: label('Files') },
  ],
}

const ACTIONS = ['read', 'create', 'update', 'import', 'export', 'print'] as const
const scoped = (scope: 'own' | 'ownAndSubordinates') =>
  Object.fromEntries(ACTIONS.map((a) => [a, scope]))

const ROLES: Role[] = [
  {
    id: 'rep',
    label: label('Rep'),
    grants: [
      { entity: 'visit', scopes: scoped('own'), fields: { note: 'none', amount: 'read' } },
      { entity: 'account', scopes: { read: 'own' } },
    ],
  },
  {
    id: 'clerk',
    label: label('Clerk'),
    grants: [
      {
        entity: 'visit',
        scopes: Object.fromEntries(ACTIONS.map((a) => [a, 'all'])),
        fields: { note: 'read', amount: 'none' },
      },
      { entity: 'account', scopes: { read: 'all' } },
    ],
  },
  {
    id: 'mgr',
    label: label('Manager'),
    grants: [
      { entity: 'visit', scopes: scoped('ownAndSubordinates'), fields: { note: 'none' } },
      { entity: 'account', scopes: { read: 'ownAndSubordinates' } },
    ],
  },
]

const REPORTS: Report[] = [
  {
    id: 'visits-by-kind',
    label: label('Visits by kind'),
    entity: 'visit',
    dimensions: [
      { id: 'kind', field: 'kind' },
      { id: 'region', field: 'account.region' },
    ],
    measures: [
      { id: 'visits', aggregate: 'count' },
      { id: 'amount', aggregate: 'sum', field: 'amount' },
    ],
    parameters: [
      { id: 'period', type: 'dateRange', field: 'visitedOn', label: label('Period') },
      { id: 'kinds', type: 'select', field: 'kind', label: label('Kinds') },
      { id: 'rep', type: 'user', field: 'owner', label: label('Rep') },
    ],
  },
  {
    id: 'visit-notes',
    label: label('Noted visits'),
    entity: 'visit',
    measures: [{ id: 'visits', aggregate: 'count' }],
    filter: { '!=': [{ var: 'note' }, null] },
  },
]

const TEMPLATES: Template[] = [
  {
    id: 'visit-sheet',
    label: label('Visit sheet'),
    entity: 'visit',
    body: {
      en: '<h1>{{record.title}}</h1><p>{{record.note}}</p><p>{{record.amount}}</p><p>{{record.account}}</p>',
    },
  },
]

/** What an attacker sends: quotes, SQL, NUL bytes, odd Unicode, paths, sizes, prototype keys. */
const ATTACKS = [
  "'",
  "x'; drop table app.visit; --",
  "' or '1'='1",
  '"); select pg_sleep(1); --',
  'a\u0000b',
  '\u0000',
  '\u202e\ufeff😀王小明김',
  '\ud800',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'x'.repeat(10_000),
  '__proto__',
  'constructor',
  'prototype',
  '{"__proto__":{"isAdmin":true}}',
  '%00%27',
  '{{constructor.constructor("return process")()}}',
]
/** Database error text that must never reach a client. */
const SQL_TEXT =
  /syntax error|relation "|column "|violates|sqlstate|postgres|pglite|invalid byte sequence|unterminated|null character|\bunnest\b|select .* from/i

/** The problems of an answer: a 5xx, or database error text in it. */
function badAnswer(where: string, res: Reply): string[] {
  if (res.status >= 500) return [`${where}: ${res.status} ${res.text.slice(0, 200)}`]
  if (res.status >= 400 && SQL_TEXT.test(res.text))
    return [`${where}: SQL text in ${res.text.slice(0, 200)}`]
  return []
}

const csvCell = (text: string) => `"${text.replace(/"/g, '""')}"`
const csvFile = (rows: string[][]) => {
  const form = new FormData()
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n'
  form.append('file', new Blob([text], { type: 'text/csv' }), 'visits.csv')
  return form
}
const q = (params: Record<string, string>) => new URLSearchParams(params).toString()
/** A path or query part; a lone surrogate goes as the invalid UTF-8 it would be. */
const enc = (text: string) => {
  try {
    return encodeURIComponent(text)
  } catch {
    return '%ED%A0%80'
  }
}

describe.each(testTargets())(
  'attack strings in reports, imports, exports, prints and files on $name',
  (target) => {
    let f: PermissionsFixture
    let a: PermissionsApp
    /** Seeded visits: id → owner. */
    const seeded = new Map<string, Person>()
    const accounts = {} as Record<Person, string>
    let crossVisit = ''

    const call = (method: string, path: string, who: Person, body?: unknown) =>
      a.call(method, path, who, body)
    /** The seeded visits of a person, in the order they were made. */
    const seededOf = (who: Person) => [...seeded].filter(([, p]) => p === who).map(([id]) => id)
    /** Ids of visits the person owns (a rep's whole read scope). */
    const ownVisits = async (who: Person) =>
      (
        await f.db.query<{ id: string }>(
          sql`select id::text as id from app.visit where owner = ${f.ids[who]}::uuid`,
        )
      ).map((r) => r.id)

    beforeAll(async () => {
      f = await openPermissionsFixture(target, ROLES, {
        entities: [visit],
        reports: REPORTS,
        templates: TEMPLATES,
      })
      a = await openPermissionsApp(f, {
        rep1: ['rep'],
        rep2: ['rep'],
        repW: ['clerk'],
        mgrEast: ['mgr'],
      })
      for (const [i, person] of PEOPLE.entries()) {
        const account = await seedAccount(f, `acc-${person}`, person)
        accounts[person] = account
        for (const n of [0, 1]) {
          const { record } = await createRecord(f.admin, 'visit', {
            title: `visit ${person} ${n}`,
            code: `V-${person}-${n}`,
            owner: f.ids[person],
            account,
            kind: n ? 'call' : 'meeting',
            visitedOn: `2026-0${1 + (i % 4)}-1${n}`,
            amount: 100 * i + n,
            note: `NOTE-SECRET-${person}-${n}`,
          })
          seeded.set(record.id as string, person)
        }
      }
      // A rep's visit at an account only another rep may read: its title and region stay unseen.
      const { record } = await createRecord(f.admin, 'visit', {
        title: 'visit cross',
        owner: f.ids.rep1,
        account: accounts.rep2,
        kind: 'call',
        visitedOn: '2026-02-02',
      })
      seeded.set(record.id as string, 'rep1')
      crossVisit = record.id as string
    }, 60_000)

    afterAll(async () => {
      a?.close()
      await f?.close()
    })

    it('runs and drills a report under every attack parameter without a 5xx, SQL text or a row outside the scope', async () => {
      const own = await ownVisits('rep1')
      const problems: string[] = []
      const names = ['period', 'kinds', 'rep', 'cell', 'measure', 'sort', 'cursor', 'limit']
      for (const attack of ATTACKS)
        for (const name of [...names, '__proto__', 'constructor', attack.slice(0, 50)]) {
          for (const value of [attack, JSON.stringify({ kind: attack, [name]: attack })]) {
            const query = `${enc(name)}=${enc(value)}`
            const run = await call('GET', `/api/reports/visits-by-kind/run?${query}`, 'rep1')
            const drill = await call('GET', `/api/reports/visits-by-kind/drill?${query}`, 'rep1')
            const where = `${name}=${JSON.stringify(value).slice(0, 40)}`
            problems.push(...badAnswer(`run ${where}`, run), ...badAnswer(`drill ${where}`, drill))
            if (run.status === 200) {
              const total = run.body.rows
                .filter((r: Record<string, any>) => !r.total)
                .reduce((s: number, r: Record<string, any>) => s + Number(r.values.visits ?? 0), 0)
              if (total > own.length) problems.push(`run ${where}: ${total} visits`)
            }
            if (drill.status === 200) {
              const outside = drill.body.data.filter((r: { id: string }) => !own.includes(r.id))
              if (outside.length) problems.push(`drill ${where}: ${outside.length} outside`)
              if (drill.text.includes('NOTE-SECRET')) problems.push(`drill ${where}: shows a note`)
            }
          }
        }
      for (const attack of ATTACKS.slice(0, 12)) {
        const res = await call('GET', `/api/reports/${enc(attack)}/run`, 'rep1')
        problems.push(...badAnswer(`report id ${attack.slice(0, 20)}`, res))
        if (res.status === 200) problems.push(`report id ${attack.slice(0, 20)}: 200`)
      }
      expect(problems).toEqual([])
      // The report runs for the rep over exactly their visits, and refuses one reading the note.
      const drill = await call('GET', '/api/reports/visits-by-kind/drill?limit=500', 'rep1')
      expect(drill.body.data.map((r: { id: string }) => r.id).sort()).toEqual(own.sort())
      const notes = await call('GET', '/api/reports/visit-notes/run', 'rep1')
      expect(notes.status).toBe(403)
      expect(notes.text).toContain("'note'")
      expect((await call('GET', '/api/reports/visit-notes/run', 'agent')).status).toBe(403)
    }, 120_000)

    it('keeps hidden fields and unreadable joined records out of reports, exports and prints', async () => {
      const hidden = [
        '/api/reports/visits-by-kind/drill?sort=note',
        '/api/reports/visits-by-kind/drill?sort=-note',
        '/api/data/visit/export?fields=title,note',
        '/api/data/visit/export?format=xlsx&fields=note',
        '/api/data/visit/export?sort=note',
        `/api/data/visit/export?${q({ filter: JSON.stringify({ '!=': [{ var: 'note' }, null] }) })}`,
      ]
      for (const path of hidden) {
        const res = await call('GET', path, 'rep1')
        expect(res.status, path).toBe(403)
        expect(res.text, path).toContain("'note'")
      }
      // rep2's account (region north) is joined to rep1's visit: counted, its region unseen.
      const run = await call('GET', '/api/reports/visits-by-kind/run', 'rep1')
      expect(run.status).toBe(200)
      const regions = run.body.rows.filter((r: any) => !r.total).map((r: any) => r.keys.region)
      expect(regions).toContain('east')
      expect(regions).not.toContain('north')
      const total = run.body.rows
        .filter((r: any) => !r.total)
        .reduce((s: number, r: any) => s + r.values.visits, 0)
      expect(total).toBe((await ownVisits('rep1')).length)
      const boss = await call('GET', '/api/reports/visits-by-kind/run', 'director')
      expect(boss.status).toBe(403)
      const answers = [
        await call('GET', '/api/reports/visits-by-kind/drill?limit=500', 'rep1'),
        await call('GET', '/api/data/visit/export', 'rep1'),
        await call('GET', `/api/data/visit/${crossVisit}/print/visit-sheet?format=html`, 'rep1'),
      ]
      for (const res of answers) {
        expect(res.status).toBe(200)
        expect(res.text).toContain('visit cross')
        expect(res.text).not.toContain('acc-rep2')
        expect(res.text).not.toContain('NOTE-SECRET')
      }
      // The manager reads rep2's account: the same print names it.
      const mgr = await call(
        'GET',
        `/api/data/visit/${crossVisit}/print/visit-sheet?format=html`,
        'mgrEast',
      )
      expect(mgr.text).toContain('acc-rep2')
    })

    /** Runs an import over HTTP as `who` and waits for its end event. */
    async function importRun(who: Person, query: string, rows: string[][]) {
      const res = await call('POST', `/api/import?entity=visit&${query}`, who, csvFile(rows))
      if (res.status !== 202) return { res, end: null, errors: [] as string[][] }
      const events = await call('GET', `/api/import/jobs/${res.body.id}/events`, who)
      const end = JSON.parse(/event: end\ndata: (.*)\n/.exec(events.text)![1])
      const file = await call('GET', `/api/import/jobs/${res.body.id}/errors`, who)
      return { res, end, errors: parseCsv(file.text).slice(1) }
    }

    it('imports only rows inside the create scope and field rules, refused rows reported with their reason', async () => {
      const { res, end, errors } = await importRun('rep1', '', [
        ['title', 'owner', 'account', 'kind'],
        ['io mine', 'rep1', 'acc-rep1', 'call'],
        ['io for rep2', 'rep2', '', 'call'],
        ['io on rep2 account', 'rep1', 'acc-rep2', 'call'],
      ])
      expect(res.status).toBe(202)
      expect(end).toMatchObject({ status: 'done', inserted: 1, failed: 2 })
      expect(errors.map((r) => r[0])).toEqual(['io for rep2', 'io on rep2 account'])
      expect(errors[1].at(-1)).toContain('account')
      // A read-only or hidden column is refused for every row that fills it.
      for (const column of ['amount', 'note']) {
        const run = await importRun('rep1', '', [
          ['title', column],
          [`io ${column}`, '7'],
        ])
        expect(run.res.status < 500, column).toBe(true)
        if (run.res.status === 202)
          expect(run.end, column).toMatchObject({ inserted: 0, failed: 1 })
        else expect(run.res.status, column).toBeOneOf([400, 403, 422])
      }
      // Without the import right: 403, and nothing written.
      expect((await importRun('agent', '', [['title'], ['io agent']])).res.status).toBe(403)
      const made = await f.db.query<{ title: string; owner: string }>(
        sql`select title, owner::text as owner from app.visit where title like 'io %'`,
      )
      expect(made).toEqual([{ title: 'io mine', owner: f.ids.rep1 }])
    }, 60_000)

    it('imports as a clerk reaching every visit still under the field rules, and upserts only in scope', async () => {
      // A column the clerk may only read, or not see, is refused before any row is read.
      for (const [column, path] of [
        ['note', 'mapping.note'],
        ['amount', 'mapping.amount'],
      ]) {
        const refused = await importRun('repW', '', [
          ['code', 'title', column],
          ['C-9', 'io clerk 9', '5'],
        ])
        expect(refused.res.status, column).toBe(403)
        expect(refused.res.body.error.details[0].path).toBe(path)
      }
      const clerk = await importRun('repW', '', [
        ['code', 'title', 'owner'],
        ['C-1', 'io clerk 1', 'rep2'],
      ])
      expect(clerk.end).toMatchObject({ status: 'done', inserted: 1, failed: 0 })
      // The clerk's key reaches rep2's visit; rep1's finds nothing to update and refuses the row.
      const clerkUpsert = await importRun('repW', 'mode=upsert&key=code', [
        ['code', 'title'],
        ['V-rep2-0', 'visit rep2 0 (clerk)'],
      ])
      expect(clerkUpsert.end).toMatchObject({ updated: 1, failed: 0 })
      const repUpsert = await importRun('rep1', 'mode=upsert&key=code', [
        ['code', 'title'],
        ['V-rep2-1', 'taken by rep1'],
      ])
      expect(repUpsert.end).toMatchObject({ inserted: 0, updated: 0, failed: 1 })
      expect(repUpsert.errors[0].at(-1)).not.toContain('visit rep2 1')
      const rows = await f.db.query<{ code: string; title: string; owner: string }>(
        sql`select code, title, owner::text as owner from app.visit
        where code in ('C-1', 'C-9', 'V-rep2-0', 'V-rep2-1') order by code`,
      )
      expect(rows).toEqual([
        { code: 'C-1', title: 'io clerk 1', owner: f.ids.rep2 },
        { code: 'V-rep2-0', title: 'visit rep2 0 (clerk)', owner: f.ids.rep2 },
        { code: 'V-rep2-1', title: 'visit rep2 1', owner: f.ids.rep2 },
      ])
      await f.db.query(sql`delete from app.visit where code = 'C-1'`)
    }, 60_000)

    it('takes attack strings in mappings, headers and cells without a 5xx, SQL text or a write outside the scope', async () => {
      const versions = (rows: { id: string; version: number }[]) =>
        rows.filter((r) => seeded.has(r.id)).map((r) => `${r.id}@${r.version}`)
      const before = versions(
        await f.db.query(sql`select id::text as id, version from app.visit order by id`),
      )
      const problems: string[] = []
      for (const attack of ATTACKS) {
        const short = JSON.stringify(attack.slice(0, 30))
        const mappings = [
          { [attack]: 'title' },
          { title: attack },
          { title: 'title', [attack]: attack },
          JSON.parse(`{"__proto__": "title", "constructor": "owner"}`),
        ]
        for (const mapping of mappings)
          for (const path of ['/api/import/preview', '/api/import']) {
            const query = q({ entity: 'visit', mapping: JSON.stringify(mapping) })
            const file = csvFile([
              ['title', attack],
              [`io map ${attack.slice(0, 20)}`, attack],
            ])
            const res = await call('POST', `${path}?${query}`, 'rep1', file)
            problems.push(...badAnswer(`mapping ${short} ${path}`, res))
            if (res.status === 202)
              await call('GET', `/api/import/jobs/${res.body.id}/events`, 'rep1')
          }
        const header = await importRun('rep1', '', [
          ['title', attack, '__proto__', 'constructor'],
          [`io header ${attack.slice(0, 20)}`, attack, attack, attack],
        ])
        problems.push(...badAnswer(`header ${short}`, header.res))
        const cells = await importRun('rep1', '', [
          ['title', 'owner', 'account', 'kind', 'visitedOn'],
          [attack, attack, attack, attack, attack],
          [attack, 'rep1', '', 'call', ''],
          [`io cell ${attack.slice(0, 20)}`, 'rep1', attack, 'call', ''],
        ])
        if (cells.res.status !== 202) problems.push(`cells ${short}: ${cells.res.status}`)
        problems.push(...badAnswer(`cells ${short}`, cells.res))
        for (const row of [...header.errors, ...cells.errors])
          // 'could not be saved' is what an unexpected (logged) failure of a row reads as.
          if (/could not be saved/.test(row.at(-1) ?? '') || SQL_TEXT.test(row.at(-1) ?? ''))
            problems.push(`cells ${short}: ${row.at(-1)}`)
        if (attack === 'a\u0000b' || attack === "'")
          if (cells.end && cells.end.status !== 'done')
            problems.push(`cells ${short}: ${cells.end.status}`)
      }
      expect(problems).toEqual([])
      // Nothing seeded changed, and every new visit is the rep's own.
      const now = await f.db.query<{ id: string; version: number; owner: string }>(
        sql`select id::text as id, version, owner::text as owner from app.visit order by id`,
      )
      expect(versions(now)).toEqual(before)
      expect(now.filter((r) => seeded.has(r.id) && r.owner !== f.ids[seeded.get(r.id)!])).toEqual(
        [],
      )
      const added = now.filter((r) => !seeded.has(r.id))
      expect(added.length).toBeGreaterThan(0)
      expect(added.filter((r) => r.owner !== f.ids.rep1)).toEqual([])
    }, 120_000)

    it('exports and prints under attack options without a 5xx, SQL text, a hidden value or a row outside the scope', async () => {
      const own = await ownVisits('rep1')
      const problems: string[] = []
      const other = seededOf('rep2')[0]
      const first = seededOf('rep1')[0]
      for (const attack of ATTACKS) {
        const short = JSON.stringify(attack.slice(0, 30))
        const filters = [
          { '==': [{ var: 'title' }, attack] },
          { '==': [{ var: attack }, 1] },
          { [attack]: [1, 2] },
          { in: [attack, { var: 'kind' }] },
        ]
        const options: Record<string, string>[] = [
          ...filters.map((filter) => ({ filter: JSON.stringify(filter) })),
          { sort: attack },
          { fields: attack },
          { fields: `title,${attack}` },
          { format: attack },
          { [attack.slice(0, 50)]: attack },
        ]
        for (const option of options)
          for (const format of ['csv', 'xlsx']) {
            // The id column (left out by default) tells which records came out.
            const ids: Record<string, string> = 'fields' in option ? {} : { fields: 'id,title' }
            const res = await call(
              'GET',
              `/api/data/visit/export?${q({ format, ...ids, ...option })}`,
              'rep1',
            )
            problems.push(
              ...badAnswer(`export ${format} ${JSON.stringify(option).slice(0, 60)}`, res),
            )
            if (res.status === 200 && format === 'csv') {
              const [header, ...rows] = parseCsv(res.text)
              const exported = header[0] === 'ID' ? rows.map((r) => r[0]) : []
              if ('fields' in option === false && header[0] !== 'ID')
                problems.push(`export ${short}: no id column`)
              if (exported.some((id) => !own.includes(id)))
                problems.push(`export ${short}: outside`)
              if (res.text.includes('NOTE-SECRET')) problems.push(`export ${short}: shows a note`)
            }
          }
        const prints = [
          `/api/data/visit/${first}/print/${enc(attack)}`,
          `/api/data/visit/${enc(attack)}/print/visit-sheet`,
          `/api/data/visit/${first}/print/visit-sheet?${q({ lang: attack })}`,
          `/api/data/visit/${first}/print/visit-sheet?${q({ format: attack })}`,
        ]
        for (const path of prints) {
          const res = await call('GET', path, 'rep1')
          problems.push(...badAnswer(`print ${path.slice(0, 80)}`, res))
          if (res.status === 200 && res.text.includes('NOTE-SECRET'))
            problems.push(`print shows a note`)
        }
      }
      expect(problems).toEqual([])
      const mine = await call(
        'GET',
        `/api/data/visit/${first}/print/visit-sheet?format=html`,
        'rep1',
      )
      expect(mine.status).toBe(200)
      expect(mine.text).toContain('visit rep1')
      expect(mine.text).not.toContain('NOTE-SECRET')
      const theirs = await call(
        'GET',
        `/api/data/visit/${other}/print/visit-sheet?format=html`,
        'rep1',
      )
      expect(theirs.status).toBe(404)
      const boss = await call(
        'GET',
        `/api/data/visit/${other}/print/visit-sheet?format=html`,
        'mgrEast',
      )
      expect(boss.status).toBe(200)
      expect(boss.text).not.toContain('NOTE-SECRET')
    }, 120_000)

    it('stores uploads under any file name inside the files folder, and attaches them only to the uploader’s records', async () => {
      const problems: string[] = []
      const uploaded: string[] = []
      const names = [
        ...ATTACKS,
        '../../escape.png',
        '/etc/passwd.png',
        'C:\\evil\\x.png',
        '.',
        '..',
      ]
      for (const name of names) {
        const form = new FormData()
        form.append('file', new Blob([PNG], { type: 'image/png' }), name)
        const res = await call('POST', '/api/files?entity=visit&field=files', 'rep1', form)
        problems.push(...badAnswer(`upload ${JSON.stringify(name.slice(0, 30))}`, res))
        if (res.status !== 201) continue
        uploaded.push(res.body.id)
        const stored = res.body.name as string
        // eslint-disable-next-line no-control-regex
        if (/[/\\\u0000]/.test(stored) || [...stored].length > 255 || stored === '..')
          problems.push(
            `upload ${JSON.stringify(name.slice(0, 30))}: stored as ${stored.slice(0, 40)}`,
          )
        const get = await call('GET', `/api/files/${res.body.id}`, 'rep1')
        const disposition = get.headers.get('content-disposition') ?? ''
        if (
          get.status !== 200 ||
          /[\r\n]/.test(disposition) ||
          /filename="[^"]*[/\\]/.test(disposition)
        )
          problems.push(
            `download ${JSON.stringify(name.slice(0, 30))}: ${get.status} ${disposition}`,
          )
      }
      for (const attack of ATTACKS.slice(0, 12))
        for (const query of [
          q({ entity: attack, field: 'files' }),
          q({ entity: 'visit', field: attack }),
        ]) {
          const form = new FormData()
          form.append('file', new Blob([PNG], { type: 'image/png' }), 'x.png')
          const res = await call('POST', `/api/files?${query}`, 'rep1', form)
          problems.push(...badAnswer(`upload to ${query.slice(0, 60)}`, res))
          if (res.status === 201) problems.push(`upload to ${query.slice(0, 60)}: 201`)
        }
      expect(problems).toEqual([])
      expect(uploaded.length).toBeGreaterThan(10)
      const stored = readdirSync(a.filesDir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => relative(a.filesDir, join(d.parentPath, d.name)))
      expect(stored).toHaveLength(uploaded.length)
      expect(stored.filter((p) => !/^[0-9a-f]{2}\/[0-9a-f]{2}[0-9a-f-]+$/.test(p))).toEqual([])
      // Attaching: never to another rep's visit (404, as reading it), always to one's own.
      const attach = async (who: Person, id: string, file: string) => {
        const [row] = await f.db.query<{ version: number }>(
          sql`select version from app.visit where id = ${id}::uuid`,
        )
        return call('PATCH', `/api/data/visit/${id}`, who, {
          version: row.version,
          files: [{ id: file }],
        })
      }
      const other = [...seeded].find(([, p]) => p === 'rep2')![0]
      const mine = (await ownVisits('rep1')).find((id) => seeded.has(id))!
      expect((await attach('rep1', other, uploaded[0])).status).toBe(404)
      expect((await attach('rep2', mine, uploaded[0])).status).toBe(404)
      expect((await call('GET', `/api/files/${uploaded[0]}`, 'rep2')).status).toBe(404)
      expect((await attach('rep1', mine, uploaded[0])).status).toBe(200)
      expect((await call('GET', `/api/files/${uploaded[0]}`, 'mgrEast')).status).toBe(200)
      expect((await call('GET', `/api/files/${uploaded[0]}`, 'rep2')).status).toBe(404)
    }, 120_000)
  },
)

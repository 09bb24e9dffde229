import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { Role } from '../../metadata/role'
import { createUser } from '../../runtime/identity'
import type { MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })

/** Customers: owned, searched by name, phone and a field reps may not read. */
const customer: Entity = {
  id: 'customer',
  label: label('Customer'),
  titleField: 'name',
  searchFields: ['name', 'phone', 'secret'],
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'phone', type: 'phone', label: label('Phone') },
    { name: 'secret', type: 'text', label: label('Secret') },
    { name: 'employees', type: 'integer', label: label('Employees') },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'lines', type: 'childTable', entity: 'customerLine', label: label('Lines') },
  ],
}
const customerLine: Entity = {
  id: 'customerLine',
  label: label('Line'),
  childOf: 'customer',
  fields: [{ name: 'item', type: 'text', label: label('Item') }],
}
/** Articles: everyone reads them, but reps not their titles. */
const article: Entity = {
  id: 'article',
  label: label('Article'),
  titleField: 'title',
  searchFields: ['keywords'],
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'keywords', type: 'text', label: label('Keywords') },
  ],
}
/** Memos: reps have no grant at all. */
const memo: Entity = {
  id: 'memo',
  label: label('Memo'),
  titleField: 'subject',
  fields: [{ name: 'subject', type: 'text', label: label('Subject') }],
}
/** Leave requests: titled by a select field, found by its code or any language's label. */
const leave: Entity = {
  id: 'leave',
  label: label('Leave'),
  titleField: 'kind',
  searchFields: ['note'],
  fields: [
    {
      name: 'kind',
      type: 'select',
      label: label('Kind'),
      options: [
        { value: 'annual', label: { en: 'Annual leave', 'zh-CN': '年假', ko: '연차' } },
        { value: 'sick', label: { en: 'Sick leave', 'zh-CN': '病假', ko: '병가' } },
      ],
    },
    { name: 'note', type: 'text', label: label('Note') },
  ],
}
const rep: Role = {
  id: 'rep',
  label: label('Rep'),
  grants: [
    { entity: 'customer', scopes: { read: 'own', create: 'own' }, fields: { secret: 'none' } },
    { entity: 'article', scopes: { read: 'all' }, fields: { title: 'none' } },
  ],
}
const bundle: MetadataBundle = {
  packages: [],
  entities: [customer, customerLine, article, memo, leave],
  forms: [],
  views: [],
  roles: [rep],
}

type Hit = {
  entity: string
  id: string
  title: string | null
  titleLabel?: Record<string, string>
  matched: string[]
}
type Answer = { data: Hit[]; more: string[] }
type Failure = { error: { details: { path: string; message: string }[] } }

describe.each(testTargets())('free-text search on $name', (target) => {
  let f: AppFixture
  const tokens: Record<string, string> = {}
  const userIds: Record<string, string> = {}
  const ids: Record<string, string> = {}

  const search = async (who: string, query: string) => {
    const res = await f.call('GET', `/api/search?${query}`, { token: tokens[who] })
    return { status: res.status, body: (await res.json()) as Answer & Failure }
  }
  const q = (text: string, extra = '') => `q=${encodeURIComponent(text)}${extra}`
  const titles = (a: Answer) => a.data.map((h) => h.title)
  const create = async (entity: string, body: Record<string, unknown>) => {
    const res = await f.call('POST', `/api/data/${entity}`, { token: f.adminToken, body })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }
  const customerOf = async (name: string, owner: string, extra: Record<string, unknown> = {}) =>
    (ids[name] = await create('customer', { name, owner: userIds[owner], ...extra }))

  beforeAll(async () => {
    f = await openAppFixture(target, { bundle })
    tokens.admin = f.adminToken
    for (const name of ['rep1', 'rep2']) {
      const user = await createUser(
        { db: f.db },
        {
          username: name,
          password: `${name}-password`,
          displayName: name,
        },
      )
      userIds[name] = user.id
      await f.db.query(sql`insert into user_roles (user_id, role_id) values (${user.id}, 'rep')`)
      const res = await f.call('POST', '/api/auth/login', {
        body: { username: name, password: `${name}-password` },
      })
      tokens[name] = ((await res.json()) as { token: string }).token
    }
    await customerOf('Acme Trading', 'rep1', { phone: '0755-1234', secret: 'zebra-7731' })
    await customerOf('Big Acme', 'rep2', { phone: '010-5555' })
    await customerOf('华东贸易有限公司', 'rep1')
    await customerOf('한국무역 주식회사', 'rep2')
    await customerOf('100% Cotton', 'rep1')
    await customerOf('100X Cotton', 'rep1')
    await customerOf('A_B Co', 'rep1')
    await customerOf('AxB Co', 'rep1')
    await customerOf('C\\D Co', 'rep1')
    for (let i = 0; i < 8; i++) await customerOf(`Bulk ${i}`, i % 2 ? 'rep2' : 'rep1')
    ids.handbook = await create('article', { title: 'Acme handbook', keywords: 'onboarding' })
    ids.memo = await create('memo', { subject: 'Acme memo' })
  })
  afterAll(async () => f?.close())

  it('finds by title and by a search field, case-insensitively, title prefixes first', async () => {
    const { status, body } = await search('admin', q('ACME', '&entities=customer'))
    expect(status).toBe(200)
    expect(titles(body)).toEqual(['Acme Trading', 'Big Acme'])
    expect(body.data[0]).toEqual({
      entity: 'customer',
      id: ids['Acme Trading'],
      title: 'Acme Trading',
      matched: ['name'],
    })
    const byPhone = (await search('admin', q('0755'))).body
    expect(byPhone.data).toEqual([
      { entity: 'customer', id: ids['Acme Trading'], title: 'Acme Trading', matched: ['phone'] },
    ])
  })

  it('lists the newest first among equally ranked hits', async () => {
    const bulk = (n: number) => ids[`Bulk ${n}`]
    await f.db.query(
      sql`update app.customer set created_at = now() + interval '1 day' where id = ${bulk(2)}`,
    )
    const { body } = await search('admin', q('ulk', '&limit=8'))
    expect(body.data[0].id).toBe(bulk(2))
    expect(body.data).toHaveLength(8)
  })

  it('groups hits of several entities, in the order asked for', async () => {
    const all = (await search('admin', q('acme'))).body
    expect(all.data.map((h) => `${h.entity}:${h.title}`).sort()).toEqual([
      'article:Acme handbook',
      'customer:Acme Trading',
      'customer:Big Acme',
      'memo:Acme memo',
    ])
    const groups = all.data.map((h) => h.entity).filter((e, i, list) => e !== list[i - 1])
    expect(groups).toHaveLength(3)
    const ordered = (await search('admin', q('acme', '&entities=memo,customer'))).body
    expect(ordered.data.map((h) => h.entity)).toEqual(['memo', 'customer', 'customer'])
  })

  it('finds Chinese and Korean text by any part of it', async () => {
    expect(titles((await search('admin', q('贸易'))).body)).toEqual(['华东贸易有限公司'])
    expect(titles((await search('admin', q(' 무역 '))).body)).toEqual(['한국무역 주식회사'])
    // 200 characters are allowed, counted as characters rather than UTF-16 units.
    expect((await search('admin', q('贸'.repeat(200)))).status).toBe(200)
  })

  it('finds a select field by its code or any language label, and labels the title', async () => {
    const annual = await create('leave', { kind: 'annual', note: 'sick of winter' })
    const sick = await create('leave', { kind: 'sick', note: 'flu' })
    const annualLabel = { en: 'Annual leave', 'zh-CN': '年假', ko: '연차' }
    for (const text of ['年假', '연차', 'ANNUAL', 'nnual lea']) {
      const { status, body } = await search('admin', q(text, '&entities=leave'))
      expect(status, text).toBe(200)
      expect(body.data, text).toEqual([
        {
          entity: 'leave',
          id: annual,
          title: 'annual',
          titleLabel: annualLabel,
          matched: ['kind'],
        },
      ])
    }
    // Labels match in any language; equally ranked hits come newest first.
    const both = (await search('admin', q('leave', '&entities=leave'))).body
    expect(both.data.map((h) => h.id)).toEqual([sick, annual])
    // A title's label prefix ranks first, then another field's prefix.
    const ranked = (await search('admin', q('sick', '&entities=leave'))).body
    expect(ranked.data.map((h) => [h.id, h.matched])).toEqual([
      [sick, ['kind']],
      [annual, ['note']],
    ])
    expect((await search('admin', q('假期', '&entities=leave'))).body.data).toEqual([])
  })

  it('matches %, _ and \\ as typed, never as wildcards', async () => {
    expect(titles((await search('admin', q('100%'))).body)).toEqual(['100% Cotton'])
    expect(titles((await search('admin', q('A_B'))).body)).toEqual(['A_B Co'])
    expect(titles((await search('admin', q('C\\D'))).body)).toEqual(['C\\D Co'])
    expect((await search('admin', q('%'))).body.data.map((h) => h.title)).toEqual(['100% Cotton'])
  })

  it('stops at the limit per entity and says which entities have more', async () => {
    const { body } = await search('admin', q('bulk', '&limit=3'))
    expect(body.data).toHaveLength(3)
    expect(body.more).toEqual(['customer'])
    const all = (await search('admin', q('bulk', '&limit=50'))).body
    expect(all.data).toHaveLength(8)
    expect(all.more).toEqual([])
    expect((await search('admin', q('bulk'))).body.data).toHaveLength(5)
  })

  it('refuses bad parameters with 4xx naming them', async () => {
    const cases: [string, number, string][] = [
      ['', 400, 'q'],
      ['q=', 400, 'q'],
      ['q=%20%20', 400, 'q'],
      [q('x'.repeat(201)), 400, 'q'],
      ['q=a%00b', 400, 'q'],
      [q('a', '&limit=0'), 400, 'limit'],
      [q('a', '&limit=51'), 400, 'limit'],
      [q('a', '&limit=two'), 400, 'limit'],
      [q('a', '&entities=nope'), 404, 'entities'],
      [q('a', '&entities=customer,nope'), 404, 'entities'],
      [q('a', '&entities=customerLine'), 400, 'entities'],
      [q('a', '&entities='), 400, 'entities'],
      [q('a', '&entities=customer,,memo'), 400, 'entities'],
      [q('a', '&page=2'), 400, 'page'],
      [`${q('a')}&${q('b')}`, 400, 'q'],
    ]
    for (const [query, status, path] of cases) {
      const res = await search('admin', query)
      expect(res.status, query).toBe(status)
      expect(
        res.body.error.details.map((d) => d.path),
        query,
      ).toContain(path)
    }
  })

  it('finds for a rep only their own customers', async () => {
    for (const who of ['rep1', 'rep2']) {
      const { status, body } = await search(who, q('bulk', '&limit=50'))
      expect(status).toBe(200)
      const expected = Array.from({ length: 8 }, (_, i) => i)
        .filter((i) => (i % 2 ? 'rep2' : 'rep1') === who)
        .map((i) => ids[`Bulk ${i}`])
      expect(body.data.map((h) => h.id).sort()).toEqual(expected.sort())
    }
    expect(titles((await search('rep1', q('acme', '&entities=customer'))).body)).toEqual([
      'Acme Trading',
    ])
    expect(titles((await search('rep2', q('贸易'))).body)).toEqual([])
  })

  it('never matches or shows a field the caller may not read', async () => {
    const admin = (await search('admin', q('zebra'))).body
    expect(admin.data).toEqual([
      expect.objectContaining({ title: 'Acme Trading', matched: ['secret'] }),
    ])
    // The owner may read the record, but not the secret: no hit gives its value away.
    expect((await search('rep1', q('zebra'))).body).toEqual({ data: [], more: [] })
    const own = (await search('rep1', q('acme trading'))).body
    expect(own.data[0].matched).toEqual(['name'])
    // A hidden title is neither searched nor shown: the hit says only that a keyword matched.
    const article = (await search('rep1', q('acme', '&entities=article'))).body
    expect(article.data).toEqual([])
    const byKeyword = (await search('rep1', q('onboard'))).body
    expect(byKeyword.data).toEqual([
      { entity: 'article', id: ids.handbook, title: null, matched: ['keywords'] },
    ])
  })

  it('leaves out entities the caller may not read, and refuses to search them by name', async () => {
    const all = (await search('rep1', q('acme'))).body
    expect(all.data.map((h) => h.entity)).not.toContain('memo')
    const named = await search('rep1', q('acme', '&entities=memo'))
    expect(named.status).toBe(403)
    expect(named.body.error.details[0].path).toBe('entities')
    const anonymous = await f.call('GET', `/api/search?${q('acme')}`)
    expect(anonymous.status).toBe(401)
  })
})

import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { createMemoryFileStore } from '../../runtime/files'
import { createMetadataCache } from '../../runtime/registry'
import { loadSeedBundle } from '../../seeds'
import { buildApp } from '../../server/app'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { signInSalesReps } from '../support/sales-reps'
import { testTargets } from '../support/databases'
import { expectRefusal } from '../support/refusal-checks'

type Json = Record<string, unknown>
type ErrorBody = { code: string; message: string; details: { path: string; message: string }[] }
type Lang = 'zh-CN' | 'ko'

/*
 * The refusals beyond the record routes read in the caller's saved language, naming entities,
 * fields and pools by their labels: a hidden field to sort on and an entity to search without
 * the read right (field and entity rights); an upload for an entity the caller may not write or
 * of a file its field does not take, a print kept in a field that holds no files, a print
 * template and an upload entity that are not there (print and files); a pool that is not there
 * and a release naming no pool (pools); a new record outside the create scope, a malformed bulk
 * id and duplicate-lookup id (scopes and sharing). `details[].path` stays the machine name the
 * client sent. The shipped modules.
 */
describe.each(testTargets())('more refusals in the caller language on $name', (target) => {
  let fx: AppFixture
  const tokens = {} as Record<Lang, string>
  const owners = {} as Record<Lang, string>
  /** A customer each caller owns. */
  const customers = {} as Record<Lang, string>

  async function send(method: string, path: string, token: string, body?: unknown) {
    const res = await fx.call(method, path, { token, body })
    return { status: res.status, body: (await res.json()) as Json }
  }

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    const names: Record<Lang, string> = { 'zh-CN': 'repZh', ko: 'repKo' }
    const reps = await signInSalesReps(fx, Object.values(names))
    for (const [lang, name] of Object.entries(names) as [Lang, string][]) {
      tokens[lang] = reps.tokens[name]
      owners[lang] = reps.ids[name]
      const saved = await send('PATCH', '/api/auth/me', tokens[lang], { locale: lang })
      expect(saved.status, JSON.stringify(saved.body)).toBe(200)
      const customer = { name: `Refused ${lang}`, owner: owners[lang] }
      const made = await send('POST', '/api/data/customer', fx.adminToken, customer)
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      customers[lang] = made.body.id as string
    }
  })
  afterAll(() => fx?.close())

  /** An upload as the caller, through an app over the same database that keeps files. */
  async function upload(lang: Lang, query: string, bytes: Blob, name: string) {
    // The fixture's app keeps no files.
    const files = buildApp({
      db: fx.db,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(fx.db),
      files: createMemoryFileStore(),
    })
    const form = new FormData()
    form.append('file', bytes, name)
    const headers = { authorization: `Bearer ${tokens[lang]}` }
    const res = await files.request(`/api/files?${query}`, { method: 'POST', headers, body: form })
    return { status: res.status, body: (await res.json()) as Json }
  }
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
  const other: Record<Lang, Lang> = { 'zh-CN': 'ko', ko: 'zh-CN' }

  // 1. Field and entity rights: a rep may not read a product's cost price, nor employees.
  const fieldCases: [Lang, string, string, string, string][] = [
    [
      'zh-CN',
      '您无权按“成本价”排序',
      '您的角色无权查看字段“成本价”',
      '您没有查看员工记录的权限',
      '您对员工没有查看权限',
    ],
    [
      'ko',
      '"원가"(으)로 정렬할 권한이 없습니다',
      '현재 역할로는 "원가" 필드를 조회할 수 없습니다',
      '직원 레코드에 대한 조회 권한이 없습니다',
      '직원에 대한 조회 권한이 없습니다',
    ],
  ]
  it.each(fieldCases)(
    'refuses a hidden field and an unreadable entity with 403 for a %s caller',
    async (lang, sort, sortField, search, searchField) => {
      const sorted = await send('GET', '/api/data/product?sort=-costPrice', tokens[lang])
      expectRefusal(sorted, {
        status: 403,
        message: sort,
        details: [{ path: 'sort', message: sortField }],
      })
      const searched = await send('GET', '/api/search?q=Kim&entities=employee', tokens[lang])
      expectRefusal(searched, {
        status: 403,
        message: search,
        details: [{ path: 'entities', message: searchField }],
      })
    },
  )

  // 2. Print and files: a template and an upload entity that are not there.
  const printCases: [Lang, string, string, string, string][] = [
    [
      'zh-CN',
      '您没有新建或修改商品记录的权限',
      '没有用于客户的打印模板“nope”',
      '模板“nope”不能打印客户记录',
      '没有“offer”这种记录类型',
    ],
    [
      'ko',
      '상품 레코드를 생성하거나 수정할 권한이 없습니다',
      '고객에 대한 인쇄 템플릿 "nope"이(가) 없습니다',
      '"nope" 템플릿으로는 고객 레코드를 인쇄할 수 없습니다',
      '"offer" 레코드 유형이 없습니다',
    ],
  ]
  it.each(printCases)(
    'refuses an upload for a product (403), a print template and an upload entity that are not there (404) for a %s caller',
    async (lang, refused, template, templateField, entity) => {
      const res = await upload(lang, 'entity=product&field=image', new Blob([PNG]), 'photo.png')
      expectRefusal(res, { status: 403, message: refused, details: [] })
      const customer = customers[lang]
      const path = `/api/data/customer/${customer}/print/nope?format=html`
      const printed = await send('GET', path, tokens[lang])
      expectRefusal(printed, {
        status: 404,
        message: template,
        details: [{ path: 'template', message: templateField }],
        sent: ['nope'],
      })
      const uploaded = await send('POST', '/api/files?entity=offer&field=documents', tokens[lang])
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(404)
      const error = uploaded.body.error as ErrorBody
      expect(error.message).toBe(entity)
      expect(error.details.map((d) => d.path)).toEqual(['entity'])
    },
  )

  const fileCases: [Lang, string, string, string, string][] = [
    [
      'zh-CN',
      '该字段不接受此文件',
      '不接受 application/octet-stream 类型的文件',
      '打印件只能保存在附件字段中',
      '不是报价单的附件字段',
    ],
    [
      'ko',
      '이 필드는 이 파일을 받을 수 없습니다',
      'application/octet-stream 파일은 받을 수 없습니다',
      '인쇄본은 첨부 파일 필드에만 보관할 수 있습니다',
      '견적서의 첨부 파일 필드가 아닙니다',
    ],
  ]
  it.each(fileCases)(
    'refuses a file the field does not take (415) and a print kept in no file field (422) for a %s caller',
    async (lang, type, typeField, kept, keptField) => {
      const exe = await upload(lang, 'entity=customer&field=documents', new Blob(['MZ']), 'a.exe')
      expectRefusal(exe, {
        status: 415,
        message: type,
        details: [{ path: 'documents', message: typeField }],
        sent: ['application/octet-stream'],
      })
      const path = `/api/data/quote/${customers[lang]}/print/quote-print`
      const printed = await send('POST', path, tokens[lang], { field: 'name' })
      expectRefusal(printed, {
        status: 422,
        message: kept,
        details: [{ path: 'field', message: keptField }],
      })
    },
  )

  // 3. Pools: a claim from a pool that is not there, a release naming no pool.
  const poolCases: [Lang, string, string, string, string][] = [
    [
      'zh-CN',
      '没有编号为“nope”的公海',
      '没有此编号的公海',
      '请指定要将记录退回的公海',
      '没有此编号的客户公海',
    ],
    [
      'ko',
      "식별자가 'nope'인 풀이 없습니다",
      '이 식별자를 가진 풀이 없습니다',
      '레코드를 돌려보낼 풀을 지정하세요',
      '이 식별자를 가진 고객 풀이 없습니다',
    ],
  ]
  it.each(poolCases)(
    'refuses a claim from no pool (404) and a release to no pool (422) for a %s caller',
    async (lang, noPool, noPoolField, release, releaseField) => {
      const customer = customers[lang]
      const claimed = await send('POST', `/api/pools/nope/claim/${customer}`, tokens[lang])
      expectRefusal(claimed, {
        status: 404,
        message: noPool,
        details: [{ path: 'id', message: noPoolField }],
        sent: ['nope'],
      })
      const body = { pool: 'nope', reason: 'moved' }
      const released = await send(
        'POST',
        `/api/data/customer/${customer}/release`,
        tokens[lang],
        body,
      )
      expectRefusal(released, {
        status: 422,
        message: release,
        details: [{ path: 'pool', message: releaseField }],
      })
    },
  )

  // 4. Scopes and sharing: a new customer owned by another rep, malformed ids.
  const scopeCases: [Lang, string, string, string, string, string][] = [
    [
      'zh-CN',
      '新建的客户将超出您的新建权限范围',
      '超出您的新建权限范围',
      'ids[0] 不是记录编号',
      '不是记录编号',
      '查重请求无效',
    ],
    [
      'ko',
      '새 고객이(가) 생성 권한 범위를 벗어납니다',
      '생성 권한 범위 밖입니다',
      'ids[0]은(는) 레코드 식별자가 아닙니다',
      '레코드 식별자가 아닙니다',
      '중복 조회 요청이 올바르지 않습니다',
    ],
  ]
  it.each(scopeCases)(
    'refuses a record outside the create scope (403) and malformed ids (422) for a %s caller',
    async (lang, scope, scopeField, id, idField, lookup) => {
      const created = await send('POST', '/api/data/customer', tokens[lang], {
        name: 'Not mine',
        owner: owners[other[lang]],
      })
      expectRefusal(created, {
        status: 403,
        message: scope,
        details: [{ path: 'owner', message: scopeField }],
      })
      const transfer = { ids: ['x'], toUserId: owners[other[lang]] }
      const moved = await send('POST', '/api/data/customer/bulk/transfer', tokens[lang], transfer)
      expectRefusal(moved, {
        status: 422,
        message: id,
        details: [{ path: 'ids[0]', message: idField }],
        sent: ['ids[0]'],
      })
      const values = { values: { name: 'Kim', id: 'x' } }
      const looked = await send('POST', '/api/data/customer/duplicates', tokens[lang], values)
      expectRefusal(looked, {
        status: 422,
        message: lookup,
        details: [{ path: 'values.id', message: idField }],
      })
    },
  )
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { expectRefusal, signInSpeakers, type RefusalLang as Lang } from '../support/refusal-checks'

type Json = Record<string, unknown>

/*
 * A release's and an organisation file's refusals in the caller's language: a reason the pool
 * does not offer and a record its filter does not admit (422), for sales reps of the shipped
 * modules with their language saved; a mapping naming a header the file lacks or a column that
 * is none, and a file without a header row (400), for the administrator in the language the
 * workspace shows. `details[].path` unchanged.
 */
describe.each(testTargets())('release and organisation file refusals on $name', (target) => {
  let fx: AppFixture
  let tokens: Record<Lang, string>
  /** A customer each rep owns, in no region. */
  const customers = {} as Record<Lang, string>

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    const reps = await signInSpeakers(fx, { 'zh-CN': 'releaseZh', ko: 'releaseKo' })
    tokens = reps.tokens
    for (const lang of ['zh-CN', 'ko'] as const) {
      const body = { name: `Returned ${lang}`, owner: reps.ids[lang] }
      const made = await fx.call('POST', '/api/data/customer', { token: fx.adminToken, body })
      expect(made.status, await made.clone().text()).toBe(201)
      customers[lang] = ((await made.json()) as Json).id as string
    }
  })
  afterAll(() => fx?.close())

  async function send(method: string, path: string, init: { token?: string; body?: unknown }) {
    const res = await fx.call(method, path, init)
    return { status: res.status, body: (await res.json()) as Json }
  }
  const one = (path: string, message: string) => [{ path, message }]

  // 1. A release: a reason the pool does not offer, a record the pool's filter does not admit.
  const releaseCases: [Lang, string, string, string, string][] = [
    [
      'zh-CN',
      '请填写退回记录的原因',
      '必须是以下之一：{values}',
      '这条记录不属于“华东公海”',
      '记录不符合该公海的筛选条件',
    ],
    [
      'ko',
      '레코드를 돌려보내는 사유를 입력하세요',
      '다음 중 하나여야 합니다: {values}',
      '이 레코드는 "동부 풀"에 속하지 않습니다',
      '레코드가 풀의 조건에 맞지 않습니다',
    ],
  ]
  it.each(releaseCases)(
    'refuses a release without a known reason or outside the filter for a %s rep',
    async (lang, reason, reasonField, notInPool, notInPoolField) => {
      const release = (body: Json) =>
        send('POST', `/api/data/customer/${customers[lang]}/release`, {
          token: tokens[lang],
          body,
        })
      const values = 'noNeed, wrongContact, otherRegion'
      expectRefusal(await release({ pool: 'east', reason: 'moved' }), {
        status: 422,
        message: reason,
        details: one('reason', reasonField.replace('{values}', values)),
        sent: [values],
      })
      expectRefusal(await release({ pool: 'east', reason: 'noNeed' }), {
        status: 422,
        message: notInPool,
        details: one('pool', notInPoolField),
      })
    },
  )

  // 2. An organisation file: a header the file lacks, a column that is none, no header row.
  const orgCases: [Lang, string, string, string, string, string, string][] = [
    [
      'zh-CN',
      '文件中没有“Login”列',
      '不是文件中的列',
      '未知的组织架构列“boss”',
      '必须是 {columns} 之一，或为 null',
      '文件没有表头行',
      '第一行必须是各列的名称',
    ],
    [
      'ko',
      "파일에 'Login' 열이 없습니다",
      '파일에 있는 열이 아닙니다',
      "알 수 없는 조직 열 'boss'",
      '{columns} 중 하나이거나 null이어야 합니다',
      '파일에 머리글 행이 없습니다',
      '첫 행에는 열 이름이 있어야 합니다',
    ],
  ]
  it.each(orgCases)(
    "refuses an organisation file's mapping and missing header row for a %s admin",
    async (lang, noColumn, notColumn, unknown, unknownField, noHeader, noHeaderField) => {
      const preview = async (mapping: Json | undefined, text: string) => {
        const query = mapping ? `?mapping=${encodeURIComponent(JSON.stringify(mapping))}` : ''
        const form = new FormData()
        form.append('file', new Blob([text]), 'staff.csv')
        const headers = { authorization: `Bearer ${fx.adminToken}`, 'x-trellis-locale': lang }
        const path = `/api/admin/org-import/preview${query}`
        const res = await fx.app.request(path, { method: 'POST', headers, body: form })
        return { status: res.status, body: (await res.json()) as Json }
      }
      const csv = 'Username\nbob\n'
      expectRefusal(await preview({ Login: 'username' }, csv), {
        status: 400,
        message: noColumn,
        details: one('mapping.Login', notColumn),
        sent: ['Login'],
      })
      const columns = 'username, displayName, email, department, manager, roles'
      expectRefusal(await preview({ Username: 'boss' }, csv), {
        status: 400,
        message: unknown,
        details: one('mapping.Username', unknownField.replace('{columns}', columns)),
        sent: ['boss', columns, 'null'],
      })
      expectRefusal(await preview(undefined, ''), {
        status: 400,
        message: noHeader,
        details: one('file', noHeaderField),
      })
    },
  )
})

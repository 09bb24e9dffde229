import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import {
  expectRefusal,
  postFile,
  signInSpeakers,
  type RefusalLang as Lang,
  type WantedRefusal as Want,
} from '../support/refusal-checks'

type Json = Record<string, unknown>

/*
 * The refusals at the door and of the request itself in the caller's language: an anonymous
 * request's 401 in the language its headers ask for (x-trellis-locale, else Accept-Language,
 * else English), the administrators' 403, the query string's 400s on the list routes, a
 * required parameter (422), a body that is no multipart upload or holds no file, a file that is
 * not there (404). The sales reps of the shipped modules; `details[].path` unchanged.
 */
describe.each(testTargets())(
  'access and request refusals in the caller language on $name',
  (target) => {
    let fx: AppFixture
    let tokens: Record<Lang, string>

    beforeAll(async () => {
      fx = await openAppFixture(target, { bundle: loadSeedBundle() })
      tokens = (await signInSpeakers(fx, { 'zh-CN': 'accessZh', ko: 'accessKo' })).tokens
    })
    afterAll(() => fx?.close())

    async function send(
      method: string,
      path: string,
      init: { token?: string; body?: unknown; headers?: Record<string, string> },
    ) {
      const res = await fx.call(method, path, init)
      return { status: res.status, body: (await res.json()) as Json }
    }
    const get = (lang: Lang, path: string) => send('GET', path, { token: tokens[lang] })
    const one = (path: string, message: string) => [{ path, message }]

    // 1. An anonymous request: no saved language, so the headers pick one.
    const anonymous: [Record<string, string>, string][] = [
      [{ 'accept-language': 'zh-Hans-CN,zh;q=0.9,en;q=0.8' }, '请先登录'],
      [{ 'accept-language': 'ko-KR,ko;q=0.9' }, '먼저 로그인하세요'],
      [{ 'accept-language': 'zh-TW, fr;q=0.9, ko;q=0.5' }, '먼저 로그인하세요'],
      [{ 'accept-language': 'en;q=0.4, zh;q=0.8' }, '请先登录'],
      [{ 'accept-language': 'zh-CN', 'x-trellis-locale': 'ko' }, '먼저 로그인하세요'],
      [{ 'accept-language': 'fr-FR, de;q=0.9' }, 'Sign in first'],
      [{}, 'Sign in first'],
    ]
    it.each(anonymous)(
      'refuses an anonymous request with %j in its language',
      async (headers, message) => {
        const res = await send('GET', '/api/data/customer', { headers })
        expect(res.status).toBe(401)
        expect(res.body.error).toMatchObject({ code: 'unauthorized', message, details: [] })
      },
    )

    it('refuses an unknown bearer token in the language of the headers', async () => {
      const headers = { authorization: 'Bearer nope', 'accept-language': 'zh' }
      const res = await send('GET', '/api/data/customer', { headers })
      expect(res.status).toBe(401)
      expect((res.body.error as Json).message).toBe('请先登录')
    })

    // 2. A rep at the administrators' routes: the organisation's and the jobs'.
    const adminsOnly: Record<Lang, string> = {
      'zh-CN': '仅管理员可执行此操作',
      ko: '관리자만 할 수 있습니다',
    }
    it.each(['zh-CN', 'ko'] as const)('refuses a %s rep at the admin routes', async (lang) => {
      for (const path of ['/api/admin/users', '/api/admin/jobs'])
        expectRefusal(await get(lang, path), {
          status: 403,
          message: adminsOnly[lang],
          details: [],
        })
    })

    // 3. The query string of the list routes and the parameters a route requires.
    const queryCases: Record<Lang, [string, Want][]> = {
      'zh-CN': [
        [
          '/api/data/customer?limit=0',
          {
            status: 400,
            message: '“limit”必须是正整数',
            details: one('limit', '必须是正整数'),
            sent: ['limit'],
          },
        ],
        [
          '/api/data/customer?count=yes',
          {
            status: 400,
            message: '“count”必须是 true 或 false',
            details: one('count', '必须是 true 或 false'),
            sent: ['count', 'true', 'false'],
          },
        ],
        [
          '/api/notifications?page=2',
          {
            status: 400,
            message: '未知的查询参数“page”',
            details: one('page', '未知参数（可用参数：unread, limit, before）'),
            sent: ['page', 'unread, limit, before'],
          },
        ],
        [
          '/api/reports?entity=a&entity=b',
          {
            status: 400,
            message: '查询参数“entity”重复出现',
            details: one('entity', '出现了不止一次'),
            sent: ['entity'],
          },
        ],
        [
          '/api/files/nope',
          {
            status: 404,
            message: '没有编号为“nope”的文件',
            details: one('id', '文件不存在'),
            sent: ['nope'],
          },
        ],
      ],
      ko: [
        [
          '/api/data/customer?limit=0',
          {
            status: 400,
            message: "'limit'은(는) 양의 정수여야 합니다",
            details: one('limit', '양의 정수여야 합니다'),
            sent: ['limit'],
          },
        ],
        [
          '/api/data/customer?count=yes',
          {
            status: 400,
            message: "'count'은(는) true 또는 false여야 합니다",
            details: one('count', 'true 또는 false여야 합니다'),
            sent: ['count', 'true', 'false'],
          },
        ],
        [
          '/api/notifications?page=2',
          {
            status: 400,
            message: "알 수 없는 쿼리 매개변수 'page'",
            details: one('page', '알 수 없는 매개변수입니다(사용 가능: unread, limit, before)'),
            sent: ['page', 'unread, limit, before'],
          },
        ],
        [
          '/api/reports?entity=a&entity=b',
          {
            status: 400,
            message: "쿼리 매개변수 'entity'이(가) 두 번 이상 지정되었습니다",
            details: one('entity', '두 번 이상 지정되었습니다'),
            sent: ['entity'],
          },
        ],
        [
          '/api/files/nope',
          {
            status: 404,
            message: "식별자가 'nope'인 파일이 없습니다",
            details: one('id', '없는 파일입니다'),
            sent: ['nope'],
          },
        ],
      ],
    }
    it.each(['zh-CN', 'ko'] as const)(
      "refuses a list route's bad query and a file that is not there for a %s rep",
      async (lang) => {
        for (const [path, want] of queryCases[lang]) expectRefusal(await get(lang, path), want)
      },
    )

    // 4. Uploads: a required parameter, a body that is no multipart upload or holds no file.
    const uploadCases: [Lang, Record<string, string>][] = [
      [
        'zh-CN',
        {
          required: '缺少必填的查询参数“{name}”',
          requiredField: '必填',
          notMultipart: '请以 multipart/form-data 格式发送文件',
          notMultipartField: '必须是 multipart/form-data 格式',
          noFile: '上传的内容中没有文件',
          noFileField: '必填（需要一个名为 file 的 multipart 部分）',
        },
      ],
      [
        'ko',
        {
          required: "쿼리 매개변수 '{name}'은(는) 필수입니다",
          requiredField: '필수입니다',
          notMultipart: '파일은 multipart/form-data 형식으로 보내세요',
          notMultipartField: 'multipart/form-data 형식이어야 합니다',
          noFile: '업로드한 내용에 파일이 없습니다',
          noFileField: '필수입니다(이름이 file인 multipart 파트 하나)',
        },
      ],
    ]
    it.each(uploadCases)(
      'refuses an upload without its parameters, multipart or file for a %s rep',
      async (lang, t) => {
        const token = tokens[lang]
        const required = (name: string): Want => ({
          status: 422,
          message: t.required.replace('{name}', name),
          details: one(name, t.requiredField),
          sent: [name],
        })
        expectRefusal(
          await postFile(fx, token, '/api/import/preview', 'a\n', 'a.csv'),
          required('entity'),
        )
        expectRefusal(
          await postFile(fx, token, '/api/files?entity=customer', 'a', 'a.txt'),
          required('field'),
        )
        const path = '/api/import/preview?entity=customer'
        expectRefusal(await send('POST', path, { token, body: { file: 'a' } }), {
          status: 415,
          message: t.notMultipart,
          details: one('body', t.notMultipartField),
          sent: ['multipart/form-data'],
        })
        const form = new FormData()
        form.append('note', 'no file here')
        const headers = { authorization: `Bearer ${token}` }
        const res = await fx.app.request(path, { method: 'POST', headers, body: form })
        expectRefusal(
          { status: res.status, body: (await res.json()) as Json },
          {
            status: 422,
            message: t.noFile,
            details: one('file', t.noFileField),
            sent: ['multipart', 'file'],
          },
        )
      },
    )
  },
)

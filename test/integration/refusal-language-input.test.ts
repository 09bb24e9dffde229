import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSeedBundle } from '../../seeds'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import {
  expectRefusal,
  postFile,
  signInSpeakers,
  type RefusalBody,
  type RefusalLang as Lang,
  type WantedRefusal as Want,
} from '../support/refusal-checks'

type Json = Record<string, unknown>

/*
 * The refusals of a search's and an upload's input read in the caller's saved language: a
 * search's text, limit, entities and query parameters (400, an unknown entity 404); an upload
 * naming no attachment field (422) and one to a server that keeps no files (503). The sales reps
 * of the shipped modules. `details[].path` stays the machine name the client sent.
 */
describe.each(testTargets())(
  'search and upload refusals in the caller language on $name',
  (target) => {
    let fx: AppFixture
    let tokens: Record<Lang, string>

    beforeAll(async () => {
      fx = await openAppFixture(target, { bundle: loadSeedBundle() })
      tokens = (await signInSpeakers(fx, { 'zh-CN': 'inputZh', ko: 'inputKo' })).tokens
    })
    afterAll(() => fx?.close())

    const post = (lang: Lang, path: string, text: string, name: string) =>
      postFile(fx, tokens[lang], path, text, name)

    async function get(lang: Lang, path: string) {
      const res = await fx.call('GET', path, { token: tokens[lang] })
      return { status: res.status, body: (await res.json()) as Json }
    }

    const one = (path: string, message: string) => [{ path, message }]

    // 1. Search: the text, the limit, the entities, a parameter search does not take.
    const searchCases: Record<Lang, [string, Want][]> = {
      'zh-CN': [
        [
          'q=',
          {
            status: 400,
            message: '搜索内容无效',
            details: one('q', '必填，长度为 1 到 200 个字符'),
          },
        ],
        [
          'q=a&limit=51',
          {
            status: 400,
            message: '返回条数无效',
            details: one('limit', '必须是 1 到 50 之间的整数'),
          },
        ],
        [
          'q=a&limit=two',
          {
            status: 400,
            message: '“limit”必须是正整数',
            details: one('limit', '必须是正整数'),
            sent: ['limit'],
          },
        ],
        [
          'q=a&entities=quoteLine',
          {
            status: 400,
            message: '报价明细的行需通过所属的报价单搜索',
            details: one('entities', '报价明细是子表'),
          },
        ],
        [
          'q=a&entities=customer,,quote',
          {
            status: 400,
            message: '要搜索的记录类型无效',
            details: one('entities', '应为以逗号分隔的记录类型编号，且不能有空项'),
          },
        ],
        [
          'q=a&entities=offer',
          {
            status: 404,
            message: '没有“offer”这种记录类型',
            details: one('entities', '“offer”不是已有的记录类型'),
            sent: ['offer'],
          },
        ],
        [
          'q=a&page=2',
          {
            status: 400,
            message: '未知的查询参数“page”',
            details: one('page', '未知参数（可用参数：q, entities, limit）'),
            sent: ['page', 'q, entities, limit'],
          },
        ],
      ],
      ko: [
        [
          'q=',
          {
            status: 400,
            message: '검색어가 올바르지 않습니다',
            details: one('q', '필수이며 1~200자여야 합니다'),
          },
        ],
        [
          'q=a&limit=51',
          {
            status: 400,
            message: '결과 개수가 올바르지 않습니다',
            details: one('limit', '1에서 50 사이의 정수여야 합니다'),
          },
        ],
        [
          'q=a&limit=two',
          {
            status: 400,
            message: "'limit'은(는) 양의 정수여야 합니다",
            details: one('limit', '양의 정수여야 합니다'),
            sent: ['limit'],
          },
        ],
        [
          'q=a&entities=quoteLine',
          {
            status: 400,
            message: '견적 품목 행은 상위 견적서을(를) 통해 검색합니다',
            details: one('entities', '견적 품목은(는) 하위 테이블입니다'),
          },
        ],
        [
          'q=a&entities=customer,,quote',
          {
            status: 400,
            message: '검색할 레코드 유형이 올바르지 않습니다',
            details: one(
              'entities',
              '빈 항목 없이 쉼표로 구분한 레코드 유형 식별자 목록이어야 합니다',
            ),
          },
        ],
        [
          'q=a&entities=offer',
          {
            status: 404,
            message: '"offer" 레코드 유형이 없습니다',
            details: one('entities', '"offer"은(는) 없는 레코드 유형입니다'),
            sent: ['offer'],
          },
        ],
        [
          'q=a&page=2',
          {
            status: 400,
            message: "알 수 없는 쿼리 매개변수 'page'",
            details: one('page', '알 수 없는 매개변수입니다(사용 가능: q, entities, limit)'),
            sent: ['page', 'q, entities, limit'],
          },
        ],
      ],
    }
    it.each(['zh-CN', 'ko'] as const)(
      "refuses a search's bad text, limit, entities and parameters for a %s caller",
      async (lang) => {
        for (const [query, want] of searchCases[lang])
          expectRefusal(await get(lang, `/api/search?${query}`), want)
      },
    )

    // 2. Files: an upload naming no attachment field (422), a server that keeps no files (503).
    const fileCases: [Lang, string, string, string, string][] = [
      [
        'zh-CN',
        '上传的目标不是附件字段',
        '不是客户的附件字段',
        '是子表，没有可单独上传文件的记录',
        '此服务器不保存文件',
      ],
      [
        'ko',
        '업로드 대상이 첨부 파일 필드가 아닙니다',
        '고객의 첨부 파일 필드가 아닙니다',
        '하위 테이블이므로 파일을 따로 올릴 레코드가 없습니다',
        '이 서버는 파일을 보관하지 않습니다',
      ],
    ]
    it.each(fileCases)(
      'refuses an upload to no file field (422) or a server keeping no files (503) for a %s caller',
      async (lang, noField, notFileField, childEntity, noStore) => {
        const upload = (query: string) => post(lang, `/api/files?${query}`, 'hello', 'a.txt')
        expectRefusal(await upload('entity=customer&field=name'), {
          status: 422,
          message: noField,
          details: one('field', notFileField),
        })
        expectRefusal(await upload('entity=quoteLine&field=product'), {
          status: 422,
          message: noField,
          details: one('entity', childEntity),
        })
        // The fixture's app is built without a file store.
        const stored = await upload('entity=customer&field=documents')
        expect(stored.status, JSON.stringify(stored.body)).toBe(503)
        const error = stored.body.error as RefusalBody
        expect(error.message).toBe(noStore)
        expect(error.details.map((d) => d.path)).toEqual(['file'])
        expect(error.details[0].message).not.toMatch(/[A-Za-z]/)
      },
    )
  },
)

import { afterAll, beforeAll, describe, it } from 'vitest'
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

/*
 * The refusals of an import's setup read in the caller's saved language, before any row is
 * read: its options (mode, rows per batch), the file's kind and header row, the mapping, the
 * upsert key and the group column (400). The sales reps of the shipped modules, who may import
 * customers. `details[].path` stays the machine name the client sent.
 */
describe.each(testTargets())('import refusals in the caller language on $name', (target) => {
  let fx: AppFixture
  let tokens: Record<Lang, string>

  beforeAll(async () => {
    fx = await openAppFixture(target, { bundle: loadSeedBundle() })
    tokens = (await signInSpeakers(fx, { 'zh-CN': 'importZh', ko: 'importKo' })).tokens
  })
  afterAll(() => fx?.close())

  const post = (lang: Lang, path: string, text: string, name: string) =>
    postFile(fx, tokens[lang], path, text, name)

  const one = (path: string, message: string) => [{ path, message }]

  // The options, the file, its header row, the mapping, the key, the group.
  const CSV = 'Customer name\nAcme\n'
  const mapping = encodeURIComponent(JSON.stringify({ 'Customer name': 'nope' }))
  /** The query, the file's text and name, and what each language answers. */
  const importCases: [string, string, string, Record<Lang, Want>][] = [
    [
      'mode=merge',
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '未知的导入方式“merge”',
          details: one('mode', '必须是 insert 或 upsert'),
          sent: ['merge', 'insert', 'upsert'],
        },
        ko: {
          status: 400,
          message: "알 수 없는 가져오기 방식 'merge'",
          details: one('mode', 'insert 또는 upsert여야 합니다'),
          sent: ['merge', 'insert', 'upsert'],
        },
      },
    ],
    [
      'mode=upsert',
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '新增或更新导入需要指定匹配键',
          details: one('key', '新增或更新导入时必填'),
        },
        ko: {
          status: 400,
          message: '추가 또는 업데이트 방식에는 일치 키가 필요합니다',
          details: one('key', '추가 또는 업데이트 방식에서는 필수입니다'),
        },
      },
    ],
    [
      'batch=0',
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '“batch”必须是正整数',
          details: one('batch', '必须是正整数'),
          sent: ['batch'],
        },
        ko: {
          status: 400,
          message: "'batch'은(는) 양의 정수여야 합니다",
          details: one('batch', '양의 정수여야 합니다'),
          sent: ['batch'],
        },
      },
    ],
    [
      '',
      CSV,
      'list.pdf',
      {
        'zh-CN': {
          status: 400,
          message: '无法导入“.pdf”文件，请使用 .csv 或 .xlsx 文件',
          details: one('file', '必须是 .csv 或 .xlsx 文件'),
          sent: ['.pdf', '.csv', '.xlsx'],
        },
        ko: {
          status: 400,
          message: "'.pdf' 파일은 가져올 수 없습니다. .csv 또는 .xlsx 파일을 사용하세요",
          details: one('file', '.csv 또는 .xlsx 파일이어야 합니다'),
          sent: ['.pdf', '.csv', '.xlsx'],
        },
      },
    ],
    [
      '',
      'Phone,Phone\n1,2\n',
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '列“Phone”出现了两次',
          details: one('file', '表头“Phone”出现了两次'),
          sent: ['Phone'],
        },
        ko: {
          status: 400,
          message: "'Phone' 열이 두 번 나옵니다",
          details: one('file', "'Phone' 머리글이 두 번 나옵니다"),
          sent: ['Phone'],
        },
      },
    ],
    [
      `mapping=${mapping}`,
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '列映射无效：“nope”不是可导入的字段',
          details: one('mapping.Customer name', '“nope”不是可导入的字段'),
          sent: ['nope'],
        },
        ko: {
          status: 400,
          message: "열 매핑이 올바르지 않습니다: 'nope'은(는) 가져올 수 있는 필드가 아닙니다",
          details: one('mapping.Customer name', "'nope'은(는) 가져올 수 있는 필드가 아닙니다"),
          sent: ['nope'],
        },
      },
    ],
    [
      'mode=upsert&key=nope',
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '不能按“nope”匹配记录',
          details: one('key', '必须是该记录类型的查重规则、唯一字段或自动编号字段'),
          sent: ['nope'],
        },
        ko: {
          status: 400,
          message: "'nope'(으)로는 레코드를 찾아 업데이트할 수 없습니다",
          details: one(
            'key',
            '이 레코드 유형의 중복 검사 규칙, 고유 필드 또는 자동 번호 필드여야 합니다',
          ),
          sent: ['nope'],
        },
      },
    ],
    [
      'mode=upsert&key=phone',
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '匹配键需要有一列对应“电话”',
          details: one('key', '文件中没有列映射到字段“电话”'),
        },
        ko: {
          status: 400,
          message: '일치 키에는 "전화번호"에 해당하는 열이 필요합니다',
          details: one('key', '파일의 어떤 열도 "전화번호" 필드에 매핑되지 않았습니다'),
        },
      },
    ],
    [
      'group=Region',
      CSV,
      'a.csv',
      {
        'zh-CN': {
          status: 400,
          message: '文件中没有分组列“Region”',
          details: one('group', '不是文件中的列'),
          sent: ['Region'],
        },
        ko: {
          status: 400,
          message: "그룹 열 'Region'이(가) 파일에 없습니다",
          details: one('group', '파일에 있는 열이 아닙니다'),
          sent: ['Region'],
        },
      },
    ],
  ]
  it.each(['zh-CN', 'ko'] as const)(
    "refuses an import's bad options, file, mapping, key and group for a %s caller",
    async (lang) => {
      for (const [query, text, name, want] of importCases) {
        const path = `/api/import/preview?entity=customer${query ? `&${query}` : ''}`
        expectRefusal(await post(lang, path, text, name), want[lang])
      }
    },
  )
})

import { describe, expect, it } from 'vitest'
import type { Entity } from '../metadata/entity'
import type { PoolDefinition } from '../metadata/pool'
import { mayNotReadTaskRecord, RECORD_REACH_TEXTS } from '../runtime/approvals/record-reach-texts'
import type { Ctx } from '../runtime/context'
import { ForbiddenError, ValidationError } from '../runtime/errors'
import {
  mayNotUpload,
  noFileStore,
  noSuchFile,
  UPLOAD_REFUSAL_TEXTS,
} from '../runtime/files/upload-refusal-texts'
import { ACCESS_REFUSAL_TEXTS, administratorsOnly, signInFirst } from '../runtime/identity'
import { IMPORT_REFUSAL_TEXTS, importWords } from '../runtime/io/import-refusal-texts'
import { ORG_IMPORT_TEXTS } from '../runtime/io/org-import-texts'
import { FIELD_REFUSAL_TEXTS, fieldWords } from '../runtime/permissions/field-refusal-texts'
import { claimRecord, listPools, releaseRecord } from '../runtime/pools'
import {
  noPoolToRelease,
  otherEntityPool,
  POOL_REFUSAL_TEXTS,
  poolWords,
} from '../runtime/pools/pool-refusal-texts'
import { outsideCreateScope } from '../runtime/records/record-refusal-texts'
import { buildMetadataSet } from '../runtime/registry'
import { REPORT_REFUSAL_TEXTS } from '../runtime/reports/report-refusal-texts'
import { validateIds } from '../runtime/sharing/record-ids'
import { SEARCH_REFUSAL_TEXTS } from '../runtime/search/search-refusal-texts'
import { requireCaller } from '../runtime/sharing/caller'
import { SHARING_REFUSAL_TEXTS } from '../runtime/sharing/sharing-refusal-texts'
import { MULTIPART_TEXTS } from '../server/http/multipart-texts'
import { QUERY_PARAM_TEXTS } from '../server/http/query-param-texts'
import { requireParam, toPositiveIntParam } from '../server/http/query-params'
import { describeTextTables } from './support/text-tables'
import { mayNotPrint, PRINT_REFUSAL_TEXTS } from '../runtime/templates/print-refusal-texts'

/*
 * The refusal tables of permissions, reports, io, print, files, pools, sharing, approvals,
 * search, access, query strings, multipart bodies and organisation files: every text in every
 * language with the English one's placeholders and no English left in zh-CN and ko (but the
 * names a client sends: import modes, file kinds, true, false, JSON, multipart/form-data, the
 * part file, null); and a few refusals worded with the labels of a small metadata set.
 */

describeTextTables([
  ['field refusals', FIELD_REFUSAL_TEXTS],
  ['report refusals', REPORT_REFUSAL_TEXTS],
  ['print refusals', PRINT_REFUSAL_TEXTS],
  ['upload refusals', UPLOAD_REFUSAL_TEXTS],
  ['pool refusals', POOL_REFUSAL_TEXTS],
  ['sharing refusals', SHARING_REFUSAL_TEXTS],
  ['record reach refusals', RECORD_REACH_TEXTS],
  ['search refusals', SEARCH_REFUSAL_TEXTS],
  ['access refusals', ACCESS_REFUSAL_TEXTS],
])
describeTextTables([['import setup refusals', IMPORT_REFUSAL_TEXTS]], /insert|upsert|\.csv|\.xlsx/g)
describeTextTables([['query parameter refusals', QUERY_PARAM_TEXTS]], /true|false|JSON/g)
describeTextTables(
  [['multipart refusals', MULTIPART_TEXTS]],
  /multipart\/form-data|multipart|file/g,
)
describeTextTables([['organisation import refusals', ORG_IMPORT_TEXTS]], /null/g)

const customer = {
  id: 'customer',
  label: { en: 'Customer', 'zh-CN': '客户', ko: '고객' },
  ownerField: 'owner',
  fields: [
    { name: 'creditLimit', type: 'money', label: { en: 'Credit limit', 'zh-CN': '信用额度' } },
    { name: 'owner', type: 'user', label: { en: 'Owner', 'zh-CN': '负责人', ko: '담당자' } },
  ],
} as unknown as Entity
const meta = buildMetadataSet({ packages: [], entities: [customer], forms: [], views: [] }, 1)
const caller = (locale?: string) =>
  ({ meta, user: locale ? { locale } : null }) as unknown as Pick<Ctx, 'user' | 'meta'>
const east = { id: 'east', label: { en: 'East pool', 'zh-CN': '华东公海', ko: '동부 풀' } }
const pool = east as unknown as PoolDefinition

describe('refusals in the caller language', () => {
  it('name a field by its label in zh-CN and ko, by its name in English', () => {
    const zh = fieldWords('zh-CN', meta.entities)
    expect(zh.text('mayNotSort', { field: zh.field('customer', 'creditLimit') })).toBe(
      '您无权按“信用额度”排序',
    )
    // No Korean label: the English one, never the name.
    const ko = fieldWords('ko', meta.entities)
    expect(ko.field('customer', 'creditLimit')).toBe('Credit limit')
    expect(ko.field('customer', 'owner')).toBe('담당자')
    const en = fieldWords('fr', meta.entities)
    expect(
      en.text('mayNotWrite', { field: en.field('customer', 'creditLimit', 'x.creditLimit') }),
    ).toBe("You may not write 'x.creditLimit'")
    expect(en.entity('customer')).toBe('customer')
    expect(zh.entity('customer')).toBe('客户')
  })

  it('word print, create-scope and pool refusals with the labels', () => {
    const print = mayNotPrint(caller('ko'), 'customer')
    expect(print).toBeInstanceOf(ForbiddenError)
    expect(print.message).toBe('이 고객에 대한 인쇄 권한이 없습니다')
    expect(print.details).toEqual([{ path: 'id', message: '고객에 대한 인쇄 권한 범위 밖입니다' }])
    const scope = outsideCreateScope(caller(), 'customer', 'owner')
    expect(scope.message).toBe('The new customer would be outside your create scope')
    expect(scope.details).toEqual([{ path: 'owner', message: 'outside your create scope' }])
    expect(poolWords(caller('zh-CN'), pool)('mayNotClaim')).toBe('您无权从“华东公海”领取记录')
    expect(poolWords(caller(), pool)('heldLevelLimit', { count: 2, level: 'A' })).toBe(
      'You hold 2 level A records, the most allowed',
    )
    const release = noPoolToRelease(caller('zh-CN'), 'customer')
    expect(release).toBeInstanceOf(ValidationError)
    expect(release.details).toEqual([{ path: 'pool', message: '没有此编号的客户公海' }])
  })

  it('word the upload and task-record refusals with the entity label', () => {
    expect(mayNotUpload(caller('zh-CN'), 'customer').message).toBe('您没有新建或修改客户记录的权限')
    expect(mayNotUpload(caller(), 'customer').message).toBe('You may not write customer records')
    const task = mayNotReadTaskRecord(caller('ko'), 'customer')
    expect(task.message).toBe('이 작업과 관련된 고객을(를) 조회할 권한이 없습니다')
    expect(task.details).toEqual([{ path: 'id', message: '레코드가 조회 권한 범위 밖에 있습니다' }])
  })

  it('refuse a malformed record id of a bulk call at its index', () => {
    expect(() => validateIds(['00000000-0000-4000-8000-000000000001', 'x'], 'ko')).toThrow(
      expect.objectContaining({
        message: 'ids[1]은(는) 레코드 식별자가 아닙니다',
        details: [{ path: 'ids[1]', message: '레코드 식별자가 아닙니다' }],
      }),
    )
    expect(() => validateIds(['x'])).toThrow('ids[0] is not a record id')
  })

  it('word the file store 503 and an import key by the field label', () => {
    const store = noFileStore(caller('ko'))
    expect(store.status).toBe(503)
    expect(store.message).toBe('이 서버는 파일을 보관하지 않습니다')
    expect(store.details).toEqual([
      { path: 'file', message: '이 서버에는 파일 저장소가 설정되어 있지 않습니다' },
    ])
    expect(noFileStore(caller()).message).toBe('This server keeps no files')
    const zh = importWords('zh-CN')
    expect(zh.text('keyNotMapped', { field: zh.field(customer, 'creditLimit') })).toBe(
      '匹配键需要有一列对应“信用额度”',
    )
    const en = importWords(undefined)
    expect(en.text('keyNotMappedField', { field: en.field(customer, 'creditLimit') })).toBe(
      "field 'creditLimit' is not mapped from the file",
    )
    expect(() => toPositiveIntParam('limit', '0', 'zh-CN')).toThrow('“limit”必须是正整数')
    expect(() => toPositiveIntParam('limit', '0')).toThrow("'limit' must be a positive integer")
  })

  it('refuse a call without a user in English, which has no saved language', async () => {
    const anonymous = { ...caller(), user: null } as unknown as Ctx
    expect(() => requireCaller(anonymous)).toThrow(
      expect.objectContaining({ status: 403, message: 'Sign in to share or transfer records' }),
    )
    const unauthorized = (message: string) => expect.objectContaining({ status: 401, message })
    await expect(listPools(anonymous, [])).rejects.toEqual(unauthorized('Sign in to see pools'))
    await expect(claimRecord(anonymous, pool, 'x')).rejects.toEqual(
      unauthorized('Sign in to claim records'),
    )
    const release = releaseRecord(anonymous, 'customer', 'x', { pool, reason: 'moved' })
    await expect(release).rejects.toEqual(unauthorized('Sign in to release records'))
  })

  it('word the access, file, required parameter and release refusals', () => {
    expect(signInFirst('zh-CN')).toMatchObject({ status: 401, message: '请先登录' })
    expect(signInFirst('fr').message).toBe('Sign in first')
    expect(administratorsOnly('ko')).toMatchObject({
      status: 403,
      message: '관리자만 할 수 있습니다',
    })
    expect(administratorsOnly(undefined).message).toBe('Administrators only')
    const file = noSuchFile(caller('zh-CN'), 'x')
    expect(file).toMatchObject({ status: 404, message: '没有编号为“x”的文件' })
    expect(file.details).toEqual([{ path: 'id', message: '文件不存在' }])
    expect(noSuchFile(caller(), 'x').message).toBe("No file with id 'x'")
    expect(() => requireParam({}, 'entity', 'ko')).toThrow(
      expect.objectContaining({ status: 422, message: "쿼리 매개변수 'entity'은(는) 필수입니다" }),
    )
    expect(() => requireParam({}, 'entity')).toThrow('The entity parameter is required')
    const other = { ...east, entity: 'customer' } as unknown as PoolDefinition
    const wrong = otherEntityPool(caller('zh-CN'), other, 'contact')
    expect(wrong.message).toBe('“华东公海”存放的是客户记录')
    expect(wrong.details).toEqual([{ path: 'pool', message: '不是contact的公海' }])
    const en = otherEntityPool(caller(), other, 'contact')
    expect(en.message).toBe("Pool 'east' holds customer records")
    expect(en.details).toEqual([{ path: 'pool', message: 'is not a pool of contact' }])
    expect(poolWords(caller('ko'), pool)('onlyOwnerReleases')).toBe(
      '담당자나 풀 관리자만 이 레코드를 돌려보낼 수 있습니다',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { labelledCaller } from '../../test/support/labelled-caller'
import { ForbiddenError, NotFoundError } from '../errors'
import {
  mayNotAny,
  mayNotChangeOwner,
  mayNotRecord,
  mayNotThis,
  notARecordId,
  recordNotFound,
} from './record-refusal-texts'

const caller = labelledCaller('salesOrder', {
  en: 'Sales order',
  'zh-CN': '销售订单',
  ko: '판매 주문',
})

describe('record refusals', () => {
  const cases: [string, Error & { details: unknown[] }, string, unknown[]][] = [
    [
      'a missing record (404) in zh-CN',
      recordNotFound(caller('zh-CN'), 'salesOrder', 'x1'),
      '没有编号为“x1”的销售订单',
      [{ path: 'id', message: '没有这条记录' }],
    ],
    [
      'a missing record of a batch (404) in ko, at the path given',
      recordNotFound(caller('ko'), 'salesOrder', 'x1', 'ids[2]'),
      "식별자가 'x1'인 판매 주문이(가) 없습니다",
      [{ path: 'ids[2]', message: '없는 레코드입니다' }],
    ],
    [
      'an id that is not a record id (404) in English',
      notARecordId(caller(), 'salesOrder', 'x1'),
      "No sales order 'x1'",
      [{ path: 'id', message: 'not a record id' }],
    ],
    [
      'a record outside the delete scope (403) in zh-CN',
      mayNotThis(caller('zh-CN'), 'salesOrder', 'delete'),
      '您没有删除此销售订单的权限',
      [{ path: 'id', message: '超出您的删除权限范围' }],
    ],
    [
      'a record outside the update scope (403) in English, for a language Trellis lacks',
      mayNotThis(caller('fr'), 'salesOrder', 'update'),
      'You may not update this sales order',
      [{ path: 'id', message: "outside your 'update' scope" }],
    ],
    [
      'no transfer right at all (403) in ko',
      mayNotAny(caller('ko'), 'salesOrder', 'transfer', 'ids'),
      '판매 주문 레코드에 대한 이관 권한이 없습니다',
      [{ path: 'ids', message: '판매 주문 레코드에 대한 이관 권한이 없습니다' }],
    ],
    [
      'no look-up right (403) in English, without a path',
      mayNotAny(caller(), 'salesOrder', 'lookUp'),
      'You may not look up sales order records',
      [],
    ],
    [
      'one record of a batch outside the assign scope (403) in ko',
      mayNotRecord(caller('ko'), 'salesOrder', 'assign', { id: 'x1', path: 'ids[0]' }),
      "판매 주문 'x1'에 대한 배정 권한이 없습니다",
      [{ path: 'ids[0]', message: '이 레코드에 대한 배정 권한이 없습니다' }],
    ],
    [
      'a new owner the caller may not give (403) in zh-CN',
      mayNotChangeOwner(caller('zh-CN'), 'salesOrder', 'owner'),
      '您没有更改此销售订单负责人的权限',
      [{ path: 'owner', message: '更改负责人需要对此记录有分配权限' }],
    ],
  ]

  it.each(cases)('word %s naming the entity by its label', (_name, error, message, details) => {
    // The first three are 404s, the rest 403s.
    const i = cases.findIndex((c) => c[1] === error)
    expect(error).toBeInstanceOf(i < 3 ? NotFoundError : ForbiddenError)
    expect(error.message).toBe(message)
    expect(error.details).toEqual(details)
  })

  it('name an entity the metadata lacks by its id', () => {
    expect(recordNotFound(caller('zh-CN'), 'offer', 'x1').message).toBe('没有编号为“x1”的offer')
  })
})

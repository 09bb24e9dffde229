import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'
import type { PoolDefinition } from '../../metadata/pool'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import { entityWords } from '../records/entity-words'

/*
 * A pool's refusals (no such pool, not a member, no such record in it, a claim over a limit or
 * within the cool-down, a release naming no pool, another entity's pool, no reason, a record
 * the caller does not own or the pool's filter does not admit, a call without a signed-in user) in the
 * caller's language; a call without a user has no saved language and reads English. English
 * names a pool by its id, as it always has; zh-CN and ko by its label (华东公海, 동부 풀). {id} is
 * the id the caller sent. `details[].path` stays the name of what the client sent.
 */

type Key =
  | 'noPool'
  | 'noPoolField'
  | 'mayNotSee'
  | 'mayNotClaim'
  | 'notMember'
  | 'noRecord'
  | 'cooldown'
  | 'dailyLimit'
  | 'heldLimit'
  | 'heldLevelLimit'
  | 'taken'
  | 'namePool'
  | 'namePoolField'
  | 'signInToSee'
  | 'signInToClaim'
  | 'signInToRelease'
  | 'otherEntityPool'
  | 'otherEntityPoolField'
  | 'onlyOwnerReleases'
  | 'onlyOwnerReleasesField'
  | 'notInPool'
  | 'notInPoolField'
  | 'giveReason'
  | 'reasonOneOf'
  | 'reasonNotEmpty'

/**
 * The pool refusals in each language; {pool} names the pool, {entity} is the entity's label
 * ({entity} and {poolEntity} of a release are ids in English), {days}, {count} numbers, {level}
 * a record level as stored (A, B), {values} the pool's return reasons as stored.
 */
export const POOL_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    noPool: "No pool '{id}'",
    noPoolField: 'no pool with this id',
    mayNotSee: "You may not see pool '{pool}'",
    mayNotClaim: "You may not claim from pool '{pool}'",
    notMember: 'you are not a member of this pool',
    noRecord: "No record '{id}' in pool '{pool}'",
    cooldown: 'You may claim this record again {days} days after it left you',
    dailyLimit: 'You have claimed {count} records today, the most allowed',
    heldLimit: 'You hold {count} records, the most allowed',
    heldLevelLimit: 'You hold {count} level {level} records, the most allowed',
    taken: 'Someone else has claimed this record',
    namePool: 'Name the pool to return the record to',
    namePoolField: 'no pool of {entity} with this id',
    signInToSee: 'Sign in to see pools',
    signInToClaim: 'Sign in to claim records',
    signInToRelease: 'Sign in to release records',
    otherEntityPool: "Pool '{pool}' holds {poolEntity} records",
    otherEntityPoolField: 'is not a pool of {entity}',
    onlyOwnerReleases: 'Only the owner or a pool admin may release this record',
    onlyOwnerReleasesField: 'you do not own this record',
    notInPool: "The record does not belong in pool '{pool}'",
    notInPoolField: "the record does not match the pool's filter",
    giveReason: 'Give a reason for returning the record',
    reasonOneOf: 'must be one of {values}',
    reasonNotEmpty: 'must be a non-empty text',
  },
  'zh-CN': {
    noPool: '没有编号为“{id}”的公海',
    noPoolField: '没有此编号的公海',
    mayNotSee: '您无权查看“{pool}”',
    mayNotClaim: '您无权从“{pool}”领取记录',
    notMember: '您不是此公海的成员',
    noRecord: '“{pool}”中没有编号为“{id}”的记录',
    cooldown: '这条记录离开您满 {days} 天后才能再次领取',
    dailyLimit: '您今天已领取 {count} 条记录，已达上限',
    heldLimit: '您已持有 {count} 条记录，已达上限',
    heldLevelLimit: '您已持有 {count} 条 {level} 级记录，已达上限',
    taken: '这条记录已被他人领取',
    namePool: '请指定要将记录退回的公海',
    namePoolField: '没有此编号的{entity}公海',
    signInToSee: '请先登录再查看公海',
    signInToClaim: '请先登录再领取记录',
    signInToRelease: '请先登录再退回记录',
    otherEntityPool: '“{pool}”存放的是{poolEntity}记录',
    otherEntityPoolField: '不是{entity}的公海',
    onlyOwnerReleases: '只有负责人或公海管理员才能退回这条记录',
    onlyOwnerReleasesField: '您不是这条记录的负责人',
    notInPool: '这条记录不属于“{pool}”',
    notInPoolField: '记录不符合该公海的筛选条件',
    giveReason: '请填写退回记录的原因',
    reasonOneOf: '必须是以下之一：{values}',
    reasonNotEmpty: '不能为空',
  },
  ko: {
    noPool: "식별자가 '{id}'인 풀이 없습니다",
    noPoolField: '이 식별자를 가진 풀이 없습니다',
    mayNotSee: '"{pool}"을(를) 조회할 권한이 없습니다',
    mayNotClaim: '"{pool}"에서 레코드를 가져올 권한이 없습니다',
    notMember: '이 풀의 구성원이 아닙니다',
    noRecord: '"{pool}"에 식별자가 \'{id}\'인 레코드가 없습니다',
    cooldown: '이 레코드는 담당에서 벗어난 지 {days}일이 지나야 다시 가져올 수 있습니다',
    dailyLimit: '오늘 이미 {count}건을 가져와 한도에 도달했습니다',
    heldLimit: '이미 {count}건을 보유하여 한도에 도달했습니다',
    heldLevelLimit: '{level} 등급 레코드를 이미 {count}건 보유하여 한도에 도달했습니다',
    taken: '다른 사용자가 이미 이 레코드를 가져갔습니다',
    namePool: '레코드를 돌려보낼 풀을 지정하세요',
    namePoolField: '이 식별자를 가진 {entity} 풀이 없습니다',
    signInToSee: '풀을 보려면 로그인하세요',
    signInToClaim: '레코드를 가져오려면 로그인하세요',
    signInToRelease: '레코드를 돌려보내려면 로그인하세요',
    otherEntityPool: '"{pool}"은(는) {poolEntity} 레코드의 풀입니다',
    otherEntityPoolField: '{entity}의 풀이 아닙니다',
    onlyOwnerReleases: '담당자나 풀 관리자만 이 레코드를 돌려보낼 수 있습니다',
    onlyOwnerReleasesField: '이 레코드의 담당자가 아닙니다',
    notInPool: '이 레코드는 "{pool}"에 속하지 않습니다',
    notInPoolField: '레코드가 풀의 조건에 맞지 않습니다',
    giveReason: '레코드를 돌려보내는 사유를 입력하세요',
    reasonOneOf: '다음 중 하나여야 합니다: {values}',
    reasonNotEmpty: '비어 있지 않아야 합니다',
  },
}

type Caller = Pick<Ctx, 'user' | 'meta'>

/**
 * The pool refusals in the caller's language, {pool} filled from `pool` when one is given.
 * @example poolWords(ctx, eastPool)('mayNotClaim') // '您无权从“华东公海”领取记录'
 */
export function poolWords(ctx: Caller, pool?: PoolDefinition) {
  const locale = toLocale(ctx.user?.locale)
  const named: Record<string, string> = pool
    ? { pool: locale === 'en' ? pool.id : toLabel(pool.label, locale, pool.id) }
    : {}
  return (key: Key, params: Record<string, string | number> = {}) => {
    const filled = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
    return fillText(POOL_REFUSAL_TEXTS[locale][key], { ...named, ...filled })
  }
}

/**
 * The 422 of a release naming no pool of `entityId` to return the record to (at pool).
 * @example noPoolToRelease(ctx, 'customer').message // '请指定要将记录退回的公海'
 */
export function noPoolToRelease(ctx: Caller, entityId: string): ValidationError {
  const w = entityWords(POOL_REFUSAL_TEXTS, ctx, entityId)
  return new ValidationError(w('namePool'), [{ path: 'pool', message: w('namePoolField') }])
}

/**
 * The 422 of a release into a pool of another entity than the record's (at pool). English names
 * both entities by their ids, as it always has; zh-CN and ko by their labels.
 * @example otherEntityPool(ctx, eastPool, 'contact').message // '“华东公海”存放的是客户记录'
 */
export function otherEntityPool(
  ctx: Caller,
  pool: PoolDefinition,
  entityId: string,
): ValidationError {
  const locale = toLocale(ctx.user?.locale)
  const name = (id: string) =>
    locale === 'en' ? id : toLabel(ctx.meta.entities.get(id)?.label, locale, id)
  const w = poolWords(ctx, pool)
  return new ValidationError(w('otherEntityPool', { poolEntity: name(pool.entity) }), [
    { path: 'pool', message: w('otherEntityPoolField', { entity: name(entityId) }) },
  ])
}

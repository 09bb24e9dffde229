import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'
import type { PoolDefinition } from '../../metadata/pool'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import { entityWords } from '../records/entity-words'

/*
 * A pool's refusals (no such pool, not a member, no such record in it, a claim over a limit or
 * within the cool-down, a release naming no pool, a call without a signed-in user) in the
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

/**
 * The pool refusals in each language; {pool} names the pool, {entity} is the entity's label,
 * {days}, {count} numbers, {level} a record level as stored (A, B).
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

import { toLocale, type Locale } from '../../metadata/labels'
import type { Action } from '../../metadata/role'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError, type Issue } from '../errors'
import { entityWords } from './entity-words'

/*
 * The record API's 404s (no such record, not a record id) and 403s (you may not update this
 * record, …) in the caller's language, naming the entity by its label as the version refusals
 * do. `details[].path` stays the name of what the client sent.
 */

type Key =
  | 'noRecord'
  | 'noRecordField'
  | 'notRecordId'
  | 'notRecordIdField'
  | 'mayNotThis'
  | 'mayNotThisField'
  | 'mayNotAny'
  | 'mayNotAnyField'
  | 'noRightField'
  | 'mayNotRecord'
  | 'mayNotRecordField'
  | 'mayNotOwner'
  | 'mayNotOwnerField'
  | 'outsideCreate'
  | 'outsideCreateField'
  | 'outsideUpdate'
  | 'outsideUpdateField'

/** What a caller may be refused doing to records; the English words are the rights' names. */
export type RefusedAction = Action | 'transfer' | 'lookUp'

/** The refusals in each language; {entity} is the label, {id} the id sent, {action} a verb. */
export const RECORD_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    noRecord: "No {entity} with id '{id}'",
    noRecordField: 'no such record',
    notRecordId: "No {entity} '{id}'",
    notRecordIdField: 'not a record id',
    mayNotThis: 'You may not {action} this {entity}',
    mayNotThisField: "outside your '{action}' scope",
    mayNotAny: 'You may not {action} {entity} records',
    mayNotAnyField: 'no right to {action} {entity} records',
    noRightField: "no '{action}' right on '{entity}'",
    mayNotRecord: "You may not {action} {entity} '{id}'",
    mayNotRecordField: '{action} not allowed for this record',
    mayNotOwner: 'You may not change the owner of this {entity}',
    mayNotOwnerField: "changing the owner needs the 'assign' right on this record",
    outsideCreate: 'The new {entity} would be outside your create scope',
    outsideCreateField: 'outside your create scope',
    outsideUpdate: 'The {entity} would leave your update scope',
    outsideUpdateField: 'the update would take the record outside your update scope',
  },
  'zh-CN': {
    noRecord: '没有编号为“{id}”的{entity}',
    noRecordField: '没有这条记录',
    notRecordId: '“{id}”不是{entity}的记录编号',
    notRecordIdField: '不是记录编号',
    mayNotThis: '您没有{action}此{entity}的权限',
    mayNotThisField: '超出您的{action}权限范围',
    mayNotAny: '您没有{action}{entity}记录的权限',
    mayNotAnyField: '您对{entity}记录没有{action}权限',
    noRightField: '您对{entity}没有{action}权限',
    mayNotRecord: '您没有{action}{entity}“{id}”的权限',
    mayNotRecordField: '不允许对此记录执行{action}',
    mayNotOwner: '您没有更改此{entity}负责人的权限',
    mayNotOwnerField: '更改负责人需要对此记录有分配权限',
    outsideCreate: '新建的{entity}将超出您的新建权限范围',
    outsideCreateField: '超出您的新建权限范围',
    outsideUpdate: '修改后此{entity}将超出您的修改权限范围',
    outsideUpdateField: '此次修改会使记录超出您的修改权限范围',
  },
  ko: {
    noRecord: "식별자가 '{id}'인 {entity}이(가) 없습니다",
    noRecordField: '없는 레코드입니다',
    notRecordId: "'{id}'은(는) {entity} 레코드의 식별자가 아닙니다",
    notRecordIdField: '레코드 식별자가 아닙니다',
    mayNotThis: '이 {entity}에 대한 {action} 권한이 없습니다',
    mayNotThisField: '{action} 권한 범위 밖입니다',
    mayNotAny: '{entity} 레코드에 대한 {action} 권한이 없습니다',
    mayNotAnyField: '{entity} 레코드에 대한 {action} 권한이 없습니다',
    noRightField: '{entity}에 대한 {action} 권한이 없습니다',
    mayNotRecord: "{entity} '{id}'에 대한 {action} 권한이 없습니다",
    mayNotRecordField: '이 레코드에 대한 {action} 권한이 없습니다',
    mayNotOwner: '이 {entity}의 담당자를 변경할 권한이 없습니다',
    mayNotOwnerField: '담당자를 변경하려면 이 레코드에 대한 배정 권한이 필요합니다',
    outsideCreate: '새 {entity}이(가) 생성 권한 범위를 벗어납니다',
    outsideCreateField: '생성 권한 범위 밖입니다',
    outsideUpdate: '수정하면 이 {entity}이(가) 수정 권한 범위를 벗어납니다',
    outsideUpdateField: '이 수정으로 레코드가 수정 권한 범위를 벗어납니다',
  },
}

/** Each refused action as a verb (en, zh-CN) or a noun (ko) in each language. */
export const ACTION_WORDS: Record<Locale, Record<RefusedAction, string>> = {
  en: {
    read: 'read',
    create: 'create',
    update: 'update',
    delete: 'delete',
    export: 'export',
    import: 'import',
    print: 'print',
    transition: 'transition',
    assign: 'assign',
    transfer: 'transfer',
    lookUp: 'look up',
  },
  'zh-CN': {
    read: '查看',
    create: '新建',
    update: '修改',
    delete: '删除',
    export: '导出',
    import: '导入',
    print: '打印',
    transition: '流转',
    assign: '分配',
    transfer: '转移',
    lookUp: '查找',
  },
  ko: {
    read: '조회',
    create: '생성',
    update: '수정',
    delete: '삭제',
    export: '내보내기',
    import: '가져오기',
    print: '인쇄',
    transition: '상태 전환',
    assign: '배정',
    transfer: '이관',
    lookUp: '검색',
  },
}

/**
 * The record refusals of one entity in the caller's language; `action` becomes the caller's word.
 * @example recordWords(ctx, 'quote')('mayNotThis', 'delete') // '您没有删除此报价单的权限'
 */
export function recordWords(ctx: Pick<Ctx, 'user' | 'meta'>, entityId: string) {
  const w = entityWords(RECORD_REFUSAL_TEXTS, ctx, entityId)
  const actions = ACTION_WORDS[toLocale(ctx.user?.locale)]
  return (key: Key, action?: RefusedAction, params: Record<string, string> = {}) =>
    w(key, action ? { ...params, action: actions[action] } : params)
}

type Caller = Pick<Ctx, 'user' | 'meta'>

/**
 * The 404 for a record id that does not exist, is not a uuid or lies outside the read scope.
 * @example recordNotFound(ctx, 'quote', 'x1') // 没有编号为“x1”的报价单 (at id)
 */
export function recordNotFound(ctx: Caller, entityId: string, id: string, path = 'id') {
  const w = recordWords(ctx, entityId)
  return new NotFoundError(w('noRecord', undefined, { id }), [
    { path, message: w('noRecordField') },
  ])
}

/** The 404 for a path segment that is not a record id at all (a route's own check). */
export function notARecordId(ctx: Caller, entityId: string, id: string): NotFoundError {
  const w = recordWords(ctx, entityId)
  return new NotFoundError(w('notRecordId', undefined, { id }), [
    { path: 'id', message: w('notRecordIdField') },
  ])
}

/** The 403 for one record outside the caller's `action` scope. */
export function mayNotThis(ctx: Caller, entityId: string, action: RefusedAction) {
  const w = recordWords(ctx, entityId)
  return new ForbiddenError(w('mayNotThis', action), [
    { path: 'id', message: w('mayNotThisField', action) },
  ])
}

/** The 403 for an action the caller may take on no record of the entity (at `path`, if any). */
export function mayNotAny(ctx: Caller, entityId: string, action: RefusedAction, path?: string) {
  const w = recordWords(ctx, entityId)
  const details: Issue[] = path ? [{ path, message: w('mayNotAnyField', action) }] : []
  return new ForbiddenError(w('mayNotAny', action), details)
}

/**
 * The 403 for a right (read, import, export) the caller holds on no record of the entity, at
 * `path` (the name the client sent the entity as).
 * @example lacksRight(ctx, 'customer', 'export', 'entity') // 您没有导出客户记录的权限 (at entity)
 */
export function lacksRight(ctx: Caller, entityId: string, action: Action, path: string) {
  const w = recordWords(ctx, entityId)
  return new ForbiddenError(w('mayNotAny', action), [{ path, message: w('noRightField', action) }])
}

/** The 403 for record `id` of a batch (at `path`) outside the caller's `action` scope. */
export function mayNotRecord(
  ctx: Caller,
  entityId: string,
  action: RefusedAction,
  at: { id: string; path: string },
): ForbiddenError {
  const w = recordWords(ctx, entityId)
  return new ForbiddenError(w('mayNotRecord', action, { id: at.id }), [
    { path: at.path, message: w('mayNotRecordField', action) },
  ])
}

/** The 403 for a new owner the caller may not give the record (at the owner field). */
export function mayNotChangeOwner(ctx: Caller, entityId: string, field: string): ForbiddenError {
  const w = recordWords(ctx, entityId)
  return new ForbiddenError(w('mayNotOwner'), [{ path: field, message: w('mayNotOwnerField') }])
}

/** The 403 of a new record outside the caller's create scope (at the owner field, else entity). */
export function outsideCreateScope(ctx: Caller, entityId: string, path: string): ForbiddenError {
  const w = recordWords(ctx, entityId)
  return new ForbiddenError(w('outsideCreate'), [{ path, message: w('outsideCreateField') }])
}

/** The 403 of an update that would take the record outside the caller's update scope (at id). */
export function outsideUpdateScope(ctx: Caller, entityId: string): ForbiddenError {
  const w = recordWords(ctx, entityId)
  return new ForbiddenError(w('outsideUpdate'), [{ path: 'id', message: w('outsideUpdateField') }])
}

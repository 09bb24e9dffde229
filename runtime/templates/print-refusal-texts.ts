import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError } from '../errors'
import { entityWords } from '../records/entity-words'

/*
 * The refusals of a print (no such template, no print right or scope, no right to keep the PDF
 * on the record) in the caller's language, naming the entity by its label as the record
 * refusals do. {template} is the id the caller sent. `details[].path` stays `template` or `id`.
 */

type Key =
  | 'noTemplate'
  | 'noTemplateField'
  | 'mayNotPrint'
  | 'mayNotPrintField'
  | 'mayNotKeep'
  | 'mayNotKeepField'

/** The print refusals in each language; {entity} is the label, {template} the id sent. */
export const PRINT_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    noTemplate: "No print template '{template}' for {entity}",
    noTemplateField: "no template '{template}' prints {entity} records",
    mayNotPrint: 'You may not print this {entity}',
    mayNotPrintField: "outside your 'print' scope on '{entity}'",
    mayNotKeep: 'You may not keep a print on this {entity}',
    mayNotKeepField: "no 'update' right on '{entity}'",
  },
  'zh-CN': {
    noTemplate: '没有用于{entity}的打印模板“{template}”',
    noTemplateField: '模板“{template}”不能打印{entity}记录',
    mayNotPrint: '您没有打印此{entity}的权限',
    mayNotPrintField: '超出您对{entity}的打印权限范围',
    mayNotKeep: '您没有在此{entity}上保存打印件的权限',
    mayNotKeepField: '您对{entity}没有修改权限',
  },
  ko: {
    noTemplate: '{entity}에 대한 인쇄 템플릿 "{template}"이(가) 없습니다',
    noTemplateField: '"{template}" 템플릿으로는 {entity} 레코드를 인쇄할 수 없습니다',
    mayNotPrint: '이 {entity}에 대한 인쇄 권한이 없습니다',
    mayNotPrintField: '{entity}에 대한 인쇄 권한 범위 밖입니다',
    mayNotKeep: '이 {entity}에 인쇄본을 보관할 권한이 없습니다',
    mayNotKeepField: '{entity}에 대한 수정 권한이 없습니다',
  },
}

type Caller = Pick<Ctx, 'user' | 'meta'>

/**
 * The 404 for a template that is not there or prints another entity's records (at template).
 * @example noPrintTemplate(ctx, 'quote', 'invoice') // 没有用于报价单的打印模板“invoice”
 */
export function noPrintTemplate(ctx: Caller, entityId: string, template: string) {
  const w = entityWords(PRINT_REFUSAL_TEXTS, ctx, entityId)
  return new NotFoundError(w('noTemplate', { template }), [
    { path: 'template', message: w('noTemplateField', { template }) },
  ])
}

/** The 403 for a record outside the caller's print right or scope (at id). */
export function mayNotPrint(ctx: Caller, entityId: string): ForbiddenError {
  const w = entityWords(PRINT_REFUSAL_TEXTS, ctx, entityId)
  return new ForbiddenError(w('mayNotPrint'), [{ path: 'id', message: w('mayNotPrintField') }])
}

/** The 403 for a caller without the update right, who may not keep a print on a record (at id). */
export function mayNotKeepPrint(ctx: Caller, entityId: string): ForbiddenError {
  const w = entityWords(PRINT_REFUSAL_TEXTS, ctx, entityId)
  return new ForbiddenError(w('mayNotKeep'), [{ path: 'id', message: w('mayNotKeepField') }])
}

import type { Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError } from '../errors'
import { entityWords, type EntityWords } from '../records/entity-words'

/*
 * The refusals of a print (no such template or language, no print right or scope, no right to
 * keep the PDF on the record, no attachment field to keep it in) in the caller's language, naming the entity by its label as the record
 * refusals do. {template} is the id the caller sent. `details[].path` stays `template` or `id`.
 */

type Key =
  | 'noTemplate'
  | 'noTemplateField'
  | 'mayNotPrint'
  | 'mayNotPrintField'
  | 'mayNotKeep'
  | 'mayNotKeepField'
  | 'notFileField'
  | 'notFileFieldOf'
  | 'takesNoPdf'
  | 'takesNoPdfField'
  | 'noPdfField'
  | 'noPdfFieldOf'
  | 'unknownLanguage'
  | 'unknownLanguageField'

/**
 * The print refusals in each language; {entity} is the label, {template} and {lang} what was
 * sent, {type} a media type, {kind} the name of a file format (PDF), {locales} language codes.
 */
export const PRINT_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    noTemplate: "No print template '{template}' for {entity}",
    noTemplateField: "no template '{template}' prints {entity} records",
    mayNotPrint: 'You may not print this {entity}',
    mayNotPrintField: "outside your 'print' scope on '{entity}'",
    mayNotKeep: 'You may not keep a print on this {entity}',
    mayNotKeepField: "no 'update' right on '{entity}'",
    notFileField: 'A print is kept only in an attachment field',
    notFileFieldOf: 'is not an attachment field of {entity}',
    takesNoPdf: 'The field does not take {kind} files',
    takesNoPdfField: 'does not accept {type} files',
    noPdfField: '{entity} has no attachment field for a {kind}',
    noPdfFieldOf: 'no attachment field of {entity} accepts {type} files',
    unknownLanguage: "Unknown language '{lang}'",
    unknownLanguageField: 'one of {locales}',
  },
  'zh-CN': {
    noTemplate: '没有用于{entity}的打印模板“{template}”',
    noTemplateField: '模板“{template}”不能打印{entity}记录',
    mayNotPrint: '您没有打印此{entity}的权限',
    mayNotPrintField: '超出您对{entity}的打印权限范围',
    mayNotKeep: '您没有在此{entity}上保存打印件的权限',
    mayNotKeepField: '您对{entity}没有修改权限',
    notFileField: '打印件只能保存在附件字段中',
    notFileFieldOf: '不是{entity}的附件字段',
    takesNoPdf: '该字段不接受 {kind} 文件',
    takesNoPdfField: '不接受 {type} 类型的文件',
    noPdfField: '{entity}没有可保存 {kind} 的附件字段',
    noPdfFieldOf: '{entity}没有接受 {type} 文件的附件字段',
    unknownLanguage: '不支持的语言“{lang}”',
    unknownLanguageField: '可选值：{locales}',
  },
  ko: {
    noTemplate: '{entity}에 대한 인쇄 템플릿 "{template}"이(가) 없습니다',
    noTemplateField: '"{template}" 템플릿으로는 {entity} 레코드를 인쇄할 수 없습니다',
    mayNotPrint: '이 {entity}에 대한 인쇄 권한이 없습니다',
    mayNotPrintField: '{entity}에 대한 인쇄 권한 범위 밖입니다',
    mayNotKeep: '이 {entity}에 인쇄본을 보관할 권한이 없습니다',
    mayNotKeepField: '{entity}에 대한 수정 권한이 없습니다',
    notFileField: '인쇄본은 첨부 파일 필드에만 보관할 수 있습니다',
    notFileFieldOf: '{entity}의 첨부 파일 필드가 아닙니다',
    takesNoPdf: '이 필드는 {kind} 파일을 받을 수 없습니다',
    takesNoPdfField: '{type} 파일은 받을 수 없습니다',
    noPdfField: '{entity}에는 {kind}을(를) 보관할 첨부 파일 필드가 없습니다',
    noPdfFieldOf: '{type} 파일을 받는 {entity} 첨부 파일 필드가 없습니다',
    unknownLanguage: "지원하지 않는 언어 '{lang}'",
    unknownLanguageField: '다음 중 하나: {locales}',
  },
}

type Caller = Pick<Ctx, 'user' | 'meta'>

/**
 * The print refusals of one entity in the caller's language.
 * @example printWords(ctx, 'quote')('notFileField') // '打印件只能保存在附件字段中'
 */
export function printWords(ctx: Caller, entityId: string): EntityWords<Key> {
  return entityWords(PRINT_REFUSAL_TEXTS, ctx, entityId)
}

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

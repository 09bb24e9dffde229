import type { Field } from '../../metadata/field'
import type { Ctx } from '../context'
import { ForbiddenError, ServiceUnavailableError, ValidationError } from '../errors'
import {
  DEFAULT_UPLOAD_LIMITS,
  discardPendingFile,
  requireStore,
  resolveUploadTarget,
  storeFile,
  type FileInfo,
} from '../files'
import { canAttempt, fieldAccess, fieldWords } from '../permissions'
import { entityPlan, getRecord, updateRecord } from '../records'
import type { PdfPrinter } from './pdf-printer'
import { renderPrint, type PrintInput } from './print-record'
import { mayNotKeepPrint, printWords } from './print-refusal-texts'

const PDF = 'application/pdf'

/** A print to keep: the print's input and the attachment field to keep it in. */
export interface AttachPrintInput extends PrintInput {
  /** An attachment(s) field of the entity; default the first `attachments` field, else `attachment`. */
  field?: string
}

/** What keeping a print answers: the stored file and the record's new version. */
export interface AttachedPrint {
  file: FileInfo
  field: string
  version: number
}

const isFileField = (f: Field) => f.type === 'attachment' || f.type === 'attachments'

/** The field a print is kept in: the one named, or the entity's first that takes a PDF. */
function printField(ctx: Ctx, entityId: string, wanted: string | undefined): Field {
  const fields = entityPlan(ctx.meta, entityId).entity.fields
  const takesPdf = (f: Field) =>
    resolveUploadTarget(ctx, entityId, f.name, DEFAULT_UPLOAD_LIMITS).accepts(PDF)
  const w = printWords(ctx, entityId)
  const pdf = { kind: 'PDF', type: PDF }
  const refuse = (key: Parameters<typeof w>[0], field: Parameters<typeof w>[0]) =>
    new ValidationError(w(key, pdf), [{ path: 'field', message: w(field, pdf) }])
  if (wanted !== undefined) {
    const field = fields.find((f) => f.name === wanted)
    if (!field || !isFileField(field)) throw refuse('notFileField', 'notFileFieldOf')
    if (!takesPdf(field)) throw refuse('takesNoPdf', 'takesNoPdfField')
    return field
  }
  const candidates = fields.filter((f) => isFileField(f) && !f.readOnly && takesPdf(f))
  const field = candidates.find((f) => f.type === 'attachments') ?? candidates[0]
  if (!field) throw refuse('noPdfField', 'noPdfFieldOf')
  return field
}

/** 403 unless the caller may update records of the entity and write the field. */
function assertMayAttach(ctx: Ctx, entityId: string, field: string): void {
  if (!canAttempt(ctx, entityId, 'update')) throw mayNotKeepPrint(ctx, entityId)
  if (fieldAccess(ctx, entityId).get(field) !== 'write') {
    const w = fieldWords(ctx.user?.locale, ctx.meta.entities)
    const named = { field: w.field(entityId, field) }
    throw new ForbiddenError(w.text('mayNotWrite', named), [
      { path: 'field', message: w.text('notWritable', named) },
    ])
  }
}

/**
 * Prints a record to PDF and keeps the PDF in one of its attachment fields, as a write of the
 * caller: the print rules (read, else 404; print, else 403) and the update rules (the update
 * right and scope, the field writable, the record's version) all hold. `attachments` fields get
 * the PDF added; an `attachment` field has it replace the file it held. A write that fails
 * leaves no file behind. 503 when the server keeps no files or prints no PDF.
 * @example await attachPrint(ctx, printer, 'quote', id, { template: 'quote-print', timeZone: 'Asia/Shanghai' })
 */
export async function attachPrint(
  ctx: Ctx,
  printer: PdfPrinter | undefined,
  entityId: string,
  id: string,
  input: AttachPrintInput,
): Promise<AttachedPrint> {
  const field = printField(ctx, entityId, input.field)
  assertMayAttach(ctx, entityId, field.name)
  const print = await renderPrint(ctx, entityId, id, input)
  // A sound request the server cannot carry out: no file store or no PDF printer → 503.
  requireStore(ctx)
  if (!printer)
    throw new ServiceUnavailableError('This server prints no PDF', [
      { path: 'format', message: 'no Chromium is configured to print PDF files' },
    ])
  const pdf = await printer.print(print.html, print.template.paper, print.locale)
  const record = await getRecord(ctx, entityId, id)
  const fileId = await storeFile(ctx, {
    name: `${print.title}.pdf`,
    type: PDF,
    bytes: pdf,
    entity: entityId,
    field: field.name,
  })
  const held = record[field.name]
  const value =
    field.type === 'attachments'
      ? [...(Array.isArray(held) ? (held as { id: string }[]) : []), { id: fileId }]
      : { id: fileId }
  try {
    const saved = await updateRecord(
      ctx,
      entityId,
      id,
      { [field.name]: value },
      Number(record.version),
    )
    const files = saved.record[field.name]
    const file = (Array.isArray(files) ? files : [files]).find((f) => f?.id === fileId) as FileInfo
    return { file, field: field.name, version: Number(saved.record.version) }
  } catch (err) {
    await discardPendingFile(ctx, fileId).catch(() => undefined)
    throw err
  }
}

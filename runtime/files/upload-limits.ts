import type { Field } from '../../metadata/field'
import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import { requireEntity } from '../registry'
import { DEFAULT_UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_TYPES, isAcceptedType } from './file-types'
import { uploadWords } from './upload-refusal-texts'

/** The instance's limits on every upload (`TRELLIS_UPLOAD_MAX_BYTES`, `TRELLIS_UPLOAD_TYPES`). */
export interface UploadLimits {
  maxBytes: number
  types: readonly string[]
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: DEFAULT_UPLOAD_MAX_BYTES,
  types: DEFAULT_UPLOAD_TYPES,
}

/** The field an upload is for, and the limits that hold for it. */
export interface UploadTarget {
  entity: string
  /** `documents`, or `lines.receipt` for a field of a child table's rows. */
  field: string
  maxBytes: number
  accepts(type: string): boolean
}

/**
 * The attachment field `entity`.`field` names, with the instance's limits narrowed by the
 * field's own `maxFileSize` and `accept`. Throws 404 at `entity` for an unknown entity, 422 at
 * `entity` (a child entity) or `field` when there is no such field, in the caller's language.
 * @example resolveUploadTarget(ctx, 'customer', 'documents', DEFAULT_UPLOAD_LIMITS)
 */
export function resolveUploadTarget(
  ctx: Pick<Ctx, 'meta' | 'user'>,
  entityId: string,
  fieldPath: string,
  limits: UploadLimits,
): UploadTarget {
  // An entity the metadata lacks answers the record routes' 404, in the caller's language.
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const w = uploadWords(ctx, entityId)
  const notAttachable = (path: string, message: string) =>
    new ValidationError(w('noAttachmentField'), [{ path, message }])
  if (entity.childOf) throw notAttachable('entity', w('notRecordEntity'))
  const [first, second, ...rest] = fieldPath.split('.')
  let field: Field | undefined = entity.fields.find((f) => f.name === first)
  if (second !== undefined && field?.type === 'childTable' && !rest.length)
    field = requireEntity(ctx.meta, field.entity!).fields.find((f) => f.name === second)
  else if (second !== undefined) field = undefined
  if (!field || (field.type !== 'attachment' && field.type !== 'attachments'))
    throw notAttachable('field', w('notAttachmentFieldOf'))
  const accept = field.accept
  return {
    entity: entityId,
    field: fieldPath,
    maxBytes: Math.min(limits.maxBytes, field.maxFileSize ?? limits.maxBytes),
    accepts: (type) =>
      isAcceptedType(type, limits.types) && (!accept || isAcceptedType(type, accept)),
  }
}

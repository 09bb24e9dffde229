import { NotFoundError } from '../errors'
import { isUuid } from './share-input'

/** The record id in canonical lower case, or 404 when it is not a uuid. */
export function recordIdOr404(entityId: string, id: string, path = 'id'): string {
  if (!isUuid(id)) {
    throw new NotFoundError(`No ${entityId} with id '${id}'`, [{ path, message: 'no such record' }])
  }
  return id.toLowerCase()
}

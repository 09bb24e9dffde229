/** One problem, located by a JSON path (`fields[2].type`) or a field name (`name`). */
export interface Issue {
  path: string
  message: string
}

/** Base of every error the runtime throws on purpose; the server maps `status` and `code`. */
export class TrellisError extends Error {
  readonly status: number = 500
  readonly code: string = 'internal'
  constructor(
    message: string,
    readonly details: Issue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The request itself is malformed: bad JSON, an unknown parameter, an untranslatable filter. */
export class BadRequestError extends TrellisError {
  override readonly status = 400
  override readonly code = 'bad_request'
}

/** A metadata definition is invalid or refers to something that does not exist. */
export class DefinitionError extends TrellisError {
  override readonly status = 400
  override readonly code = 'invalid_definition'
}

export class UnauthorizedError extends TrellisError {
  override readonly status = 401
  override readonly code = 'unauthorized'
}

export class ForbiddenError extends TrellisError {
  override readonly status = 403
  override readonly code = 'forbidden'
}

export class NotFoundError extends TrellisError {
  override readonly status = 404
  override readonly code = 'not_found'
}

/** Stale version, duplicate record, unique violation. `extra` carries e.g. the current version. */
export class ConflictError extends TrellisError {
  override readonly status = 409
  override readonly code: string = 'conflict'
}

/** An approval task was decided or closed already (the second click on an or-sign step). */
export class AlreadyDecidedError extends ConflictError {
  override readonly code = 'ALREADY_DECIDED'
}

/** A record fails validation; `details` name each field. */
export class ValidationError extends TrellisError {
  override readonly status = 422
  override readonly code = 'validation_failed'
}

/** An upload larger than the limit of the field it is for. */
export class PayloadTooLargeError extends TrellisError {
  override readonly status = 413
  override readonly code = 'payload_too_large'
}

export class TooManyRequestsError extends TrellisError {
  override readonly status = 429
  override readonly code = 'too_many_requests'
}

/** The body is sent as something other than JSON (a plain HTML form can send text/plain). */
export class UnsupportedMediaTypeError extends TrellisError {
  override readonly status = 415
  override readonly code = 'unsupported_media_type'
}

/** Something this process needs is not set up (no file store, no PDF printer): 503. */
export class ServiceUnavailableError extends TrellisError {
  override readonly status = 503
  override readonly code = 'service_unavailable'
}

/**
 * Context key a child-table grid sets to its field's name, so an attachment cell uploads for
 * `lines.receipt` rather than a field of the record itself.
 */
export const FILE_FIELD_PREFIX = Symbol('file-field-prefix')

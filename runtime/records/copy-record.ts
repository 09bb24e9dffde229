import type { Entity } from '../../metadata/entity'
import type { Field } from '../../metadata/field'
import type { Ctx } from '../context'
import { fieldAccess } from '../permissions'
import { flowForEntity } from '../registry'
import { createRecord } from './create-record'
import { getRecord } from './get-record'
import type { RecordData } from './record-data'

/** Field types whose value the platform makes (numbers, formulas) or that belong to one record. */
const NOT_COPIED = new Set(['autoNumber', 'formula', 'attachment', 'attachments'])

/** Whether a copy carries the field's value: the caller could have typed it into a new record. */
function isCopied(field: Field, writable: (name: string) => boolean, skip: ReadonlySet<string>) {
  return (
    !NOT_COPIED.has(field.type) &&
    !field.readOnly &&
    !field.unique &&
    !field.latestFrom &&
    !field.setWhen &&
    !skip.has(field.name) &&
    writable(field.name)
  )
}

/** The values of `record` a copy takes, child rows included (each row by the same rule). */
function toCopyInput(ctx: Ctx, entity: Entity, record: RecordData): RecordData {
  const access = fieldAccess(ctx, entity.id)
  const writable = (name: string) => (access.get(name) ?? 'write') === 'write'
  // A copy starts where a new record starts: its flow's first state, its default owner.
  const starts = [flowForEntity(ctx.meta, entity.id)?.stateField, entity.ownerField]
  const skip = new Set(starts.filter((name): name is string => name !== undefined))
  const input: RecordData = {}
  for (const field of entity.fields) {
    const value = record[field.name]
    if (value === undefined || !isCopied(field, writable, skip)) continue
    if (field.type !== 'childTable') {
      input[field.name] = value
      continue
    }
    const child = ctx.meta.entities.get(field.entity ?? '')
    if (child && Array.isArray(value))
      input[field.name] = value.map((row: RecordData) => toCopyInput(ctx, child, row))
  }
  return input
}

/**
 * A new record with the values of one the caller may read (404 otherwise), written as the caller
 * creates any record (their create scope, field rules, validations, defaults): its child rows
 * too, but not what the platform numbers, computes or stamps, unique values or files; the flow
 * state and the owner start as in a new record (the first state, the copier).
 * @example const { record } = await copyRecord(ctx, 'quote', id) // a new draft quote with the same lines
 */
export async function copyRecord(ctx: Ctx, entityId: string, id: string) {
  const source = await getRecord(ctx, entityId, id)
  const entity = ctx.meta.entities.get(entityId) as Entity
  return createRecord(ctx, entityId, toCopyInput(ctx, entity, source))
}

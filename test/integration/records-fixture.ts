import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Form } from '../../metadata/form'
import { fixedClock, type Clock } from '../../runtime/clock'
import { silentLogger, type Ctx, type CurrentUser } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { publishMetadata, type MetadataSet } from '../../runtime/registry'
import type { TestTarget } from '../support/databases'

const label = (en: string) => ({ en })
const opt = (value: string) => ({ value, label: label(value) })

/** Every field type, defaults, a formula, an auto-number, dedup, validations. */
export const customer: Entity = {
  id: 'customer',
  label: label('Customer'),
  titleField: 'name',
  searchFields: ['name'],
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true, maxLength: 100 },
    { name: 'code', type: 'autoNumber', pattern: 'C-{YYYY}-{####}', label: label('Code') },
    { name: 'email', type: 'email', label: label('Email') },
    { name: 'phone', type: 'phone', label: label('Phone') },
    { name: 'site', type: 'url', label: label('Site') },
    {
      name: 'level',
      type: 'select',
      label: label('Level'),
      options: [opt('A'), opt('B'), opt('C')],
      default: 'B',
    },
    {
      name: 'tags',
      type: 'multiSelect',
      label: label('Tags'),
      options: [opt('vip'), opt('new'), opt('x:y')],
    },
    { name: 'credit', type: 'money', label: label('Credit'), currency: 'CNY' },
    { name: 'rate', type: 'percent', label: label('Rate'), min: 0, max: 100 },
    { name: 'employees', type: 'integer', label: label('Employees'), min: 0 },
    { name: 'score', type: 'decimal', label: label('Score'), scale: 2 },
    { name: 'active', type: 'boolean', label: label('Active'), default: true },
    { name: 'since', type: 'date', label: label('Since'), default: 'today' },
    { name: 'lastContact', type: 'datetime', label: label('Last contact') },
    { name: 'region', type: 'text', label: label('Region'), index: true },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'notes', type: 'longText', label: label('Notes') },
    { name: 'bio', type: 'richText', label: label('Bio') },
    { name: 'extra', type: 'json', label: label('Extra') },
    { name: 'logo', type: 'attachment', label: label('Logo') },
    { name: 'files', type: 'attachments', label: label('Files') },
    { name: 'status', type: 'text', label: label('Status'), readOnly: true, default: 'new' },
    {
      name: 'display',
      type: 'formula',
      resultType: 'text',
      label: label('Display'),
      formula: { cat: [{ var: 'name' }, ' (', { var: 'level' }, ')'] },
    },
    {
      name: 'shout',
      type: 'formula',
      resultType: 'text',
      label: label('Shout'),
      formula: { cat: [{ var: 'display' }, '!'] },
    },
  ],
  dedup: [
    { id: 'sameName', fields: ['name'], match: 'normalized', action: 'block' },
    {
      id: 'sameEmail',
      fields: ['email'],
      match: 'exact',
      action: 'warn',
      message: { en: 'Another customer has this email' },
    },
  ],
  validations: [
    {
      id: 'bigA',
      rule: { or: [{ '!=': [{ var: 'level' }, 'A'] }, { '>=': [{ var: 'employees' }, 10] }] },
      message: { en: 'Level A needs 10 employees' },
      field: 'employees',
    },
  ],
}

export const contact: Entity = {
  id: 'contact',
  label: label('Contact'),
  titleField: 'name',
  trackChanges: false,
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
  ],
}

/** Nothing computed or checked over the merged record: updates take the one-statement path. */
export const task: Entity = {
  id: 'task',
  label: label('Task'),
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'due', type: 'date', label: label('Due') },
    { name: 'at', type: 'datetime', label: label('At') },
    { name: 'budget', type: 'money', label: label('Budget'), currency: 'CNY' },
    { name: 'tags', type: 'multiSelect', label: label('Tags'), options: [opt('a'), opt('b')] },
    { name: 'done', type: 'boolean', label: label('Done') },
    { name: 'data', type: 'json', label: label('Data') },
    { name: 'hours', type: 'decimal', label: label('Hours') },
    { name: 'share', type: 'percent', label: label('Share') },
    { name: 'assignee', type: 'user', label: label('Assignee') },
  ],
}

export const quote: Entity = {
  id: 'quote',
  label: label('Quote'),
  titleField: 'number',
  fields: [
    { name: 'number', type: 'autoNumber', pattern: 'Q-{YYYY}-{####}', label: label('Number') },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
    { name: 'lines', type: 'childTable', entity: 'quoteLine', label: label('Lines') },
    {
      name: 'total',
      type: 'formula',
      resultType: 'number',
      label: label('Total'),
      formula: {
        reduce: [{ var: 'lines' }, { '+': [{ var: 'accumulator' }, { var: 'current.amount' }] }, 0],
      },
    },
  ],
}

export const quoteLine: Entity = {
  id: 'quoteLine',
  label: label('Line'),
  childOf: 'quote',
  fields: [
    { name: 'product', type: 'text', label: label('Product'), required: true },
    { name: 'quantity', type: 'integer', label: label('Quantity'), min: 1, default: 1 },
    { name: 'price', type: 'decimal', label: label('Price') },
    {
      name: 'amount',
      type: 'formula',
      resultType: 'number',
      label: label('Amount'),
      formula: { '*': [{ var: 'quantity' }, { var: 'price' }] },
    },
  ],
}

const customerForm: Form = {
  id: 'customer',
  entity: 'customer',
  label: label('Customer'),
  tabs: [
    {
      id: 'main',
      label: label('Main'),
      sections: [
        {
          id: 's',
          fields: [
            { field: 'name' },
            { field: 'level' },
            { field: 'region', required: { '==': [{ var: 'level' }, 'A'] } },
            { field: 'notes', readOnly: { '==': [{ var: 'level' }, 'C'] } },
          ],
        },
      ],
    },
  ],
  relatedLists: [{ id: 'contacts', entity: 'contact', field: 'customer', limit: 2 }],
}

export interface RecordsFixture {
  db: Db
  ctx: Ctx
  meta: MetadataSet
  user: CurrentUser
  /** A context with another clock (same db, meta and user). */
  at(clock: Clock): Ctx
  close(): Promise<void>
}

/** A fresh database with the bundle above published and a signed-in user. */
export async function openRecordsFixture(target: TestTarget): Promise<RecordsFixture> {
  const opened = await target.open()
  const db = opened.db
  const [row] = await db.query<{ id: string }>(sql`
    insert into users (username, display_name, password_hash) values ('ann', 'Ann Lee', 'x') returning id`)
  const user: CurrentUser = {
    id: row.id,
    username: 'ann',
    displayName: 'Ann Lee',
    locale: 'en',
    isAdmin: true,
  }
  const base = {
    db,
    user,
    clock: fixedClock('2026-03-15T08:00:00Z'),
    log: silentLogger,
    requestId: 'req-1',
  }
  const { meta } = await publishMetadata(base, {
    packages: [],
    entities: [customer, contact, task, quote, quoteLine],
    forms: [customerForm],
    views: [],
  })
  const ctx: Ctx = { ...base, meta }
  return { db, ctx, meta, user, at: (clock) => ({ ...ctx, clock }), close: opened.close }
}

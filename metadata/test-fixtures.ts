// Valid example definitions shared by the metadata unit tests. Not part of the language.
import type { MetadataBundleShape } from './bundle'
import type { Entity } from './entity'
import type { Form } from './form'
import type { PackageManifest } from './package'
import type { CalendarView, KanbanView, ListView } from './view'

/** A customer entity that uses every field type once. */
export function customerEntity(): Entity {
  return {
    id: 'customer',
    module: 'crm',
    label: { en: 'Customer', 'zh-CN': '客户', ko: '고객' },
    fields: [
      { name: 'name', type: 'text', label: { en: 'Name' }, required: true, maxLength: 200 },
      { name: 'notes', type: 'longText', label: { en: 'Notes' } },
      { name: 'profile', type: 'richText', label: { en: 'Profile' } },
      { name: 'employees', type: 'integer', label: { en: 'Employees' }, min: 0 },
      { name: 'rating', type: 'decimal', label: { en: 'Rating' }, scale: 2, min: 0, max: 5 },
      { name: 'creditLimit', type: 'money', label: { en: 'Credit limit' }, currency: 'CNY' },
      { name: 'discount', type: 'percent', label: { en: 'Discount' } },
      { name: 'active', type: 'boolean', label: { en: 'Active' }, default: true },
      { name: 'since', type: 'date', label: { en: 'Customer since' } },
      { name: 'lastContactAt', type: 'datetime', label: { en: 'Last contact' } },
      {
        name: 'level',
        type: 'select',
        label: { en: 'Level' },
        default: 'b',
        options: [
          { value: 'a', label: { en: 'A' }, color: '#16a34a' },
          { value: 'b', label: { en: 'B' } },
        ],
      },
      {
        name: 'tags',
        type: 'multiSelect',
        label: { en: 'Tags' },
        options: [{ value: 'vip', label: { en: 'VIP' } }],
      },
      { name: 'parent', type: 'reference', label: { en: 'Parent company' }, entity: 'customer' },
      { name: 'owner', type: 'user', label: { en: 'Owner' } },
      { name: 'department', type: 'department', label: { en: 'Department' } },
      { name: 'email', type: 'email', label: { en: 'Email' } },
      { name: 'phone', type: 'phone', label: { en: 'Phone' } },
      { name: 'website', type: 'url', label: { en: 'Website' } },
      { name: 'logo', type: 'attachment', label: { en: 'Logo' } },
      { name: 'files', type: 'attachments', label: { en: 'Files' } },
      { name: 'code', type: 'autoNumber', label: { en: 'Code' }, pattern: 'C-{YYYY}-{####}' },
      {
        name: 'displayName',
        type: 'formula',
        label: { en: 'Display name' },
        formula: { cat: [{ var: 'code' }, ' ', { var: 'name' }] },
        resultType: 'text',
      },
      { name: 'extra', type: 'json', label: { en: 'Extra' } },
      { name: 'contacts', type: 'childTable', label: { en: 'Contacts' }, entity: 'contact' },
    ],
    titleField: 'name',
    searchFields: ['name', 'phone'],
    ownerField: 'owner',
    dedup: [{ id: 'sameName', fields: ['name'], match: 'normalized', action: 'block' }],
    validations: [
      {
        id: 'discountRange',
        rule: { '<=': [{ var: 'discount' }, 50] },
        message: { en: 'Discount is at most 50%' },
        field: 'discount',
      },
    ],
    indexes: [{ id: 'byOwner', fields: ['owner', 'createdAt'] }],
  }
}

/** The child entity behind `customer.contacts`. */
export function contactEntity(): Entity {
  return {
    id: 'contact',
    childOf: 'customer',
    label: { en: 'Contact' },
    fields: [
      { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
      { name: 'phone', type: 'phone', label: { en: 'Phone' } },
    ],
  }
}

/** A follow-up entity that points at a customer (for related lists). */
export function followUpEntity(): Entity {
  return {
    id: 'followUp',
    label: { en: 'Follow-up' },
    fields: [
      { name: 'customer', type: 'reference', label: { en: 'Customer' }, entity: 'customer' },
      { name: 'summary', type: 'text', label: { en: 'Summary' } },
      { name: 'visitedOn', type: 'date', label: { en: 'Visited on' } },
    ],
  }
}

/** The customer form. */
export function customerForm(): Form {
  return {
    id: 'customer',
    entity: 'customer',
    label: { en: 'Customer' },
    tabs: [
      {
        id: 'main',
        label: { en: 'Main' },
        sections: [
          {
            id: 'basics',
            columns: 2,
            fields: [
              { field: 'name', span: 2 },
              { field: 'level', widget: 'radio' },
              { field: 'discount', visible: { '==': [{ var: 'level' }, 'a'] } },
            ],
          },
          { id: 'people', fields: [{ field: 'contacts' }, { field: 'createdAt' }] },
        ],
      },
    ],
    relatedLists: [
      { id: 'followUps', entity: 'followUp', field: 'customer', columns: ['summary', 'visitedOn'] },
    ],
  }
}

/** A list, a kanban and a calendar view. */
export function customerViews(): [ListView, KanbanView, CalendarView] {
  const base = { entity: 'customer', label: { en: 'Customers' } }
  return [
    {
      ...base,
      id: 'customerList',
      type: 'list',
      columns: [{ field: 'name', width: 240 }, { field: 'level' }, { field: 'createdAt' }],
      sort: '-createdAt,name',
      filters: [{ id: 'vip', label: { en: 'VIP' }, filter: { in: ['vip', { var: 'tags' }] } }],
    },
    {
      ...base,
      id: 'customer-board',
      type: 'kanban',
      groupBy: 'level',
      cardFields: ['name', 'owner'],
    },
    { ...base, id: 'customerCalendar', type: 'calendar', dateField: 'since', titleField: 'name' },
  ]
}

/** The CRM package manifest. */
export function crmPackage(): PackageManifest {
  return {
    id: 'crm',
    version: '1.0.0',
    label: { en: 'CRM', 'zh-CN': '客户管理' },
    navigation: ['customer', 'followUp'],
  }
}

/** A bundle in which every reference resolves. */
export function validBundle(): MetadataBundleShape {
  return {
    packages: [crmPackage()],
    entities: [customerEntity(), contactEntity(), followUpEntity()],
    forms: [customerForm()],
    views: customerViews(),
  }
}

import type { Entity } from '../../metadata/entity'
import { buildMetadataSet } from '../registry'
import { entityPlan, type EntityPlan } from '../records'

/** A small customer entity for the import unit tests: labels in three languages, a money field. */
export const importTestEntity: Entity = {
  id: 'client',
  label: { en: 'Client', 'zh-CN': '客户', ko: '고객' },
  titleField: 'name',
  fields: [
    {
      name: 'name',
      type: 'text',
      label: { en: 'Customer name', 'zh-CN': '客户名称', ko: '고객명' },
      required: true,
    },
    { name: 'code', type: 'autoNumber', label: { en: 'Code' }, pattern: 'C-{####}' },
    {
      name: 'level',
      type: 'select',
      label: { en: 'Level', 'zh-CN': '客户等级', ko: '고객 등급' },
      options: [
        {
          value: 'A',
          label: { en: 'A (key account)', 'zh-CN': 'A（重点客户）', ko: 'A (핵심 고객)' },
        },
        { value: 'B', label: { en: 'B (regular)', 'zh-CN': 'B（普通客户）', ko: 'B (일반 고객)' } },
      ],
    },
    {
      name: 'creditLimit',
      type: 'money',
      label: { en: 'Credit limit', 'zh-CN': '信用额度', ko: '신용 한도' },
      currency: 'CNY',
    },
    {
      name: 'employees',
      type: 'integer',
      label: { en: 'Employees', 'zh-CN': '员工人数', ko: '직원 수' },
    },
    { name: 'active', type: 'boolean', label: { en: 'Active', 'zh-CN': '有效', ko: '활성' } },
    {
      name: 'since',
      type: 'date',
      label: { en: 'Customer since', 'zh-CN': '成为客户日期', ko: '거래 시작일' },
    },
  ],
  dedup: [{ id: 'name', fields: ['name'], match: 'normalized', action: 'block' }],
}

/** The plan of `importTestEntity` (no database needed). */
export function importTestPlan(): EntityPlan {
  const meta = buildMetadataSet(
    { packages: [], entities: [importTestEntity], forms: [], views: [], roles: [] },
    1,
  )
  return entityPlan(meta, 'client')
}

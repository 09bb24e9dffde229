import type { FieldType } from './field'

/** Keys every record has, with the field type their values behave like (id is a uuid string). */
export const SYSTEM_KEY_TYPES = {
  id: 'text',
  version: 'integer',
  createdAt: 'datetime',
  updatedAt: 'datetime',
  createdBy: 'user',
  updatedBy: 'user',
} as const satisfies Record<string, FieldType>

/** Keys every record has (runtime/schema/naming.ts maps them to columns); no field may take them. */
export const SYSTEM_KEYS: readonly string[] = Object.keys(SYSTEM_KEY_TYPES)

/** Keys a child entity's records add: the parent and the row's place in the grid. */
export const CHILD_KEYS: readonly string[] = ['parentId', 'position']

/** The field type behind a system key, if `name` is one. */
export function systemKeyType(name: string): FieldType | undefined {
  return Object.hasOwn(SYSTEM_KEY_TYPES, name)
    ? SYSTEM_KEY_TYPES[name as keyof typeof SYSTEM_KEY_TYPES]
    : undefined
}

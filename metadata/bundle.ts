import type { Alert } from './alert'
import type { Calendar } from './calendar'
import type { Dashboard } from './dashboard'
import type { Entity } from './entity'
import type { Extension } from './extension'
import type { FieldType } from './field'
import type { Flow } from './flow'
import type { Form } from './form'
import type { PackageManifest } from './package'
import type { Pool } from './pool'
import type { Report } from './report'
import type { Role } from './role'
import type { Sla } from './sla'
import type { Template } from './template'
import { systemKeyType } from './system-fields'
import type { View } from './view'

/**
 * Definitions as files or API bodies carry them: plain arrays. Identical to `MetadataBundle` in
 * runtime/registry, which metadata may not import.
 */
export interface MetadataBundleShape {
  packages: PackageManifest[]
  entities: Entity[]
  forms: Form[]
  views: View[]
  roles?: Role[]
  alerts?: Alert[]
  pools?: Pool[]
  calendars?: Calendar[]
  slas?: Sla[]
  flows?: Flow[]
  reports?: Report[]
  templates?: Template[]
  dashboards?: Dashboard[]
  extensions?: Extension[]
}

/** The type behind a name a view or form may show: a field of the entity or a system key. */
export function fieldTypeOf(entity: Entity, name: string): FieldType | undefined {
  return entity.fields.find((f) => f.name === name)?.type ?? systemKeyType(name)
}

import type { Labels } from './labels'

/** A module: a versioned package of definitions and demo data. */
export interface PackageManifest {
  $schema?: string
  id: string
  version: string
  label: Labels
  description?: Labels
  dependencies?: Record<string, string>
  /** Sidebar order of the module's entities. */
  navigation?: string[]
}

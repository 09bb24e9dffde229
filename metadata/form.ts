import type { Labels } from './labels'
import type { Rule } from './rule'

/** A field placed on a form, with optional widget and rules over the record and `$user`. */
export interface FormField {
  field: string
  widget?: string
  span?: number
  visible?: Rule
  required?: Rule
  readOnly?: Rule
}

export interface FormSection {
  id: string
  label?: Labels
  columns?: 1 | 2 | 3 | 4
  fields: FormField[]
}

export interface FormTab {
  id: string
  label: Labels
  sections: FormSection[]
}

/** A list of related records shown on the record page (the 360° view). */
export interface RelatedList {
  id: string
  entity: string
  /** The reference field on the related entity that points at this record. */
  field: string
  label?: Labels
  columns?: string[]
  limit?: number
}

/** A form over one entity. */
export interface Form {
  $schema?: string
  id: string
  version?: number
  entity: string
  label: Labels
  tabs: FormTab[]
  relatedLists?: RelatedList[]
}

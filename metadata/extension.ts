import { definitionIdSchema, packageIdSchema, schemaRefSchema, versionSchema } from './id-patterns'
import {
  formSectionSchema,
  formTabSchema,
  relatedListSchema,
  type FormSection,
  type FormTab,
  type RelatedList,
} from './form'
import { labelsSchema, type Labels } from './labels'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/** A section an extension adds to one tab of the form (the form's own tab or an extension's). */
export interface ExtensionSection extends FormSection {
  tab: string
}

/**
 * What a package adds to a form it does not ship (its own or a dependency's): related lists,
 * tabs, sections. The form's package keeps its file; upgrading either package replaces only its
 * own part. The workspace and the API see the form with every installed extension applied.
 */
export interface Extension {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  label?: Labels
  /** The form it adds to. */
  form: string
  relatedLists?: RelatedList[]
  tabs?: FormTab[]
  sections?: ExtensionSection[]
}

const extensionSectionSchema = schemaFor<ExtensionSection>()({
  type: 'object',
  properties: {
    ...formSectionSchema.properties,
    tab: { ...definitionIdSchema, description: 'The tab of the form the section goes to.' },
  },
  required: ['id', 'fields', 'tab'],
  additionalProperties: false,
})

/** Schema of an `Extension`. */
export const extensionSchema = schemaFor<Extension>()({
  type: 'object',
  properties: {
    $schema: schemaRefSchema,
    id: definitionIdSchema,
    version: versionSchema,
    module: packageIdSchema,
    label: labelsSchema,
    form: { ...definitionIdSchema, description: 'The id of the form it adds to.' },
    relatedLists: {
      type: 'array',
      description: 'Appended to the form’s related lists.',
      items: relatedListSchema,
      maxItems: 30,
    },
    tabs: {
      type: 'array',
      description: 'Appended to the form’s tabs.',
      items: formTabSchema,
      maxItems: 30,
    },
    sections: {
      type: 'array',
      description: 'Each appended to the sections of its `tab`.',
      items: extensionSectionSchema,
      maxItems: 50,
    },
  },
  required: ['id', 'form'],
  additionalProperties: false,
})

/** Standalone schema document of `Extension` (metadata/schemas/extension.schema.json). */
export const extensionJsonSchema = toSchemaDocument(
  'extension',
  'Trellis extension (adds to a form another package ships)',
  extensionSchema,
)

import { camelIdSchema, packageIdSchema } from './id-patterns'
import type { Labels } from './labels'
import { reservedProperties } from './reserved-kind'
import { schemaFor } from './schema-check'
import { toSchemaDocument } from './schema-document'

/*
 * A print template: a handlebars document per language over one record, its child tables, the
 * titles of what it references and the printing user's company, rendered to HTML and printed to
 * PDF on a page of the given paper. The data a body sees is described in docs/templates.md.
 */

/** Paper sizes Chromium prints on. */
export const PAPER_SIZES = ['A4', 'A5', 'A3', 'Letter', 'Legal'] as const
export type PaperSize = (typeof PAPER_SIZES)[number]

/** Width × height in millimetres, portrait. */
export const PAPER_MILLIMETRES: Record<PaperSize, readonly [number, number]> = {
  A3: [297, 420],
  A4: [210, 297],
  A5: [148, 210],
  Letter: [215.9, 279.4],
  Legal: [215.9, 355.6],
}

export const ORIENTATIONS = ['portrait', 'landscape'] as const
export type Orientation = (typeof ORIENTATIONS)[number]

/** A CSS length in an absolute unit: `15mm`, `1.5cm`, `0.5in`, `36pt`, `40px`. */
export const PAPER_LENGTH = '^(0|[0-9]{1,3}(\\.[0-9]{1,2})?)(mm|cm|in|pt|px)$'

/** Page margins; each defaults to 15mm. */
export interface TemplateMargin {
  top?: string
  right?: string
  bottom?: string
  left?: string
}

/** The page a template prints on (default A4 portrait, 15mm margins). */
export interface TemplatePaper {
  size?: PaperSize
  orientation?: Orientation
  margin?: TemplateMargin
  /** Prints "page / pages" at the foot of every page. */
  pageNumbers?: boolean
}

/** The document per language: handlebars producing the HTML of the page body. */
export type TemplateBody = { en: string } & Partial<Record<'zh-CN' | 'ko', string>>

/**
 * A print template.
 * @example { id: 'quote-print', label: { en: 'Quote' }, entity: 'quote',
 *   body: { en: '<h1>Quote {{record.number}}</h1>{{#each record.lines}}<p>{{product}}</p>{{/each}}' },
 *   include: ['customer'], paper: { size: 'A4' } }
 */
export interface Template {
  $schema?: string
  id: string
  version?: number
  /** The package the definition belongs to (set from the package folder when installed). */
  module?: string
  label: Labels
  description?: Labels
  /** The entity whose records the template prints (not a child entity: print its parent). */
  entity: string
  /** The document per language; the reader's language is chosen, else English. */
  body: TemplateBody
  /** CSS for every language of the body (no external resources: nothing is fetched). */
  style?: string
  paper?: TemplatePaper
  /**
   * Reference fields whose record is loaded whole (its readable fields), not only its title:
   * `customer` of the record, `lines.product` of a child table's rows.
   */
  include?: string[]
}

const lengthSchema = { type: 'string', pattern: PAPER_LENGTH } as const

const marginSchema = schemaFor<TemplateMargin>()({
  type: 'object',
  properties: { top: lengthSchema, right: lengthSchema, bottom: lengthSchema, left: lengthSchema },
  required: [],
  additionalProperties: false,
})

const paperSchema = schemaFor<TemplatePaper>()({
  type: 'object',
  properties: {
    size: { type: 'string', enum: PAPER_SIZES },
    orientation: { type: 'string', enum: ORIENTATIONS },
    margin: marginSchema,
    pageNumbers: { type: 'boolean' },
  },
  required: [],
  additionalProperties: false,
})

/** Longest body of one language (characters), as runtime/templates accepts. */
export const MAX_BODY_LENGTH = 64 * 1024

const bodyText = { type: 'string', minLength: 1, maxLength: MAX_BODY_LENGTH } as const

const bodySchema = schemaFor<TemplateBody>()({
  type: 'object',
  description: 'Handlebars HTML per language (en required; zh-CN and ko fall back to en).',
  properties: { en: bodyText, 'zh-CN': bodyText, ko: bodyText },
  required: ['en'],
  additionalProperties: false,
})

/** A path to a reference field: `customer`, or `lines.product` through a child table. */
const includePathSchema = {
  type: 'string',
  pattern: '^[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*)?$',
  maxLength: 81,
} as const

/** Schema of a `Template`. */
export const templateSchema = schemaFor<Template>()({
  type: 'object',
  properties: {
    $schema: reservedProperties.$schema,
    id: reservedProperties.id,
    version: reservedProperties.version,
    module: packageIdSchema,
    label: reservedProperties.label,
    description: reservedProperties.description,
    entity: camelIdSchema,
    body: bodySchema,
    style: { type: 'string', maxLength: 32 * 1024 },
    paper: paperSchema,
    include: { type: 'array', items: includePathSchema, maxItems: 20 },
  },
  required: ['id', 'label', 'entity', 'body'],
  additionalProperties: false,
})

/** Standalone schema document of `Template` (metadata/schemas/template.schema.json). */
export const templateJsonSchema = toSchemaDocument(
  'template',
  'Trellis print template',
  templateSchema,
)

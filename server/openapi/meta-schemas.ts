import { WIDGET_KINDS } from '../../metadata/dashboard'
import { PACKAGE_KIND_OF_FOLDER } from '../../metadata/package'
import { REPORT_SHAPES } from '../../metadata/report-layout'
import { ACTIONS, SCOPES } from '../../metadata/role'
import { PAPER_SIZES } from '../../metadata/template'
import type { JsonSchema } from './field-schema'
import { ref } from './operation-parts'

const labels = ref('Labels')
const strings: JsonSchema = { type: 'array', items: { type: 'string' } }
const version: JsonSchema = { type: 'integer', minimum: 1 }

const planStep: JsonSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    entity: { type: 'string' },
    field: { type: 'string' },
    description: { type: 'string' },
    destructive: { type: 'boolean' },
    sql: { type: 'string' },
  },
  required: ['kind', 'entity', 'description', 'destructive', 'sql'],
}

/** The component schemas of the metadata endpoints (summaries, navigation, plan, roles). */
export const META_SCHEMAS: Record<string, JsonSchema> = {
  Definition: {
    type: 'object',
    description:
      'An entity, form, view, role, alert, pool, calendar, SLA, flow, report, template, dashboard or extension definition, as metadata/schemas/<kind>.schema.json describes it',
    properties: { id: { type: 'string' }, version, label: labels },
    required: ['id'],
    additionalProperties: true,
  },
  EntitySummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      pluralLabel: labels,
      module: { type: ['string', 'null'] },
      icon: { type: 'string' },
      childOf: { type: 'string' },
      titleField: { type: 'string' },
      version,
      can: {
        type: 'object',
        description: 'What the caller may do with records of this entity',
        properties: {
          actions: {
            type: 'array',
            items: { type: 'string', enum: [...ACTIONS] },
            description: 'Actions a role grants the caller (a record may lie outside the scope)',
          },
          readOnlyFields: {
            ...strings,
            description: "Fields the caller may read but not write (a child table's as lines.x)",
          },
        },
        required: ['actions', 'readOnlyFields'],
      },
      fields: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            type: { type: 'string' },
            label: labels,
            required: { type: 'boolean' },
            entity: { type: 'string', description: 'The entity a reference points at' },
          },
          required: ['name', 'type', 'label', 'required'],
        },
      },
    },
    required: ['id', 'label', 'module', 'fields', 'can'],
  },
  RecordCapabilities: {
    type: 'object',
    description: 'What the caller may do with one record, evaluated for that row',
    properties: {
      update: { type: 'boolean' },
      delete: { type: 'boolean' },
      share: { type: 'boolean', description: "The owner, the owner's managers, administrators" },
      transfer: { type: 'boolean', description: 'Give it another owner (assign)' },
      readOnlyFields: {
        ...strings,
        description: "Fields the caller may read but not write (a child table's as lines.x)",
      },
    },
    required: ['update', 'delete', 'share', 'transfer', 'readOnlyFields'],
  },
  FormSummary: {
    type: 'object',
    properties: { id: { type: 'string' }, entity: { type: 'string' }, label: labels, version },
    required: ['id', 'entity', 'label'],
  },
  ViewSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      entity: { type: 'string' },
      type: { type: 'string' },
      label: labels,
      version,
    },
    required: ['id', 'entity', 'type', 'label'],
  },
  RoleSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      all: { type: 'boolean', description: 'Every right, everywhere' },
      entities: { ...strings, description: 'The entities it grants rights on' },
    },
    required: ['id', 'label', 'all', 'entities'],
  },
  AlertSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      entity: { type: ['string', 'null'], description: 'None for a pure schedule' },
      trigger: { type: 'string', description: 'The trigger type (created, dateOffset, schedule…)' },
      enabled: { type: 'boolean' },
      channels: { ...strings, description: 'The channel types it tells over' },
    },
    required: ['id', 'label', 'entity', 'trigger', 'enabled', 'channels'],
  },
  PoolSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      type: { enum: ['pool', 'assignment'] },
      entity: { type: 'string' },
      strategy: {
        type: ['string', 'null'],
        description: 'roundRobin, leastLoad or byField; null for a pool',
      },
    },
    required: ['id', 'label', 'type', 'entity', 'strategy'],
  },
  CalendarSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      timeZone: { type: 'string', description: 'IANA time zone of its hours and dates' },
      holidays: { type: 'integer', description: 'How many holidays it lists' },
    },
    required: ['id', 'label', 'timeZone', 'holidays'],
  },
  SlaSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      entity: { type: 'string' },
      calendar: { type: 'string', description: 'The default calendar' },
      policies: { ...strings, description: 'Policy ids, in the order they are tried' },
    },
    required: ['id', 'label', 'entity', 'calendar', 'policies'],
  },
  ReportSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      entity: { type: 'string', description: 'The source entity' },
      shape: { enum: REPORT_SHAPES },
      dimensions: { ...strings, description: 'Dimension ids, in order' },
      measures: { ...strings, description: 'Measure ids, in order' },
    },
    required: ['id', 'label', 'entity', 'shape', 'dimensions', 'measures'],
  },
  TemplateSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      entity: { type: 'string', description: 'The entity whose records it prints' },
      languages: { ...strings, description: 'The languages its body is written in' },
      paper: { enum: PAPER_SIZES },
    },
    required: ['id', 'label', 'entity', 'languages', 'paper'],
  },
  DashboardSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      roles: { ...strings, description: 'The roles it is for' },
      default: { type: 'boolean', description: 'The dashboard of callers no role names' },
      widgets: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            kind: { enum: WIDGET_KINDS },
            report: { type: 'string' },
          },
          required: ['id', 'kind'],
        },
      },
    },
    required: ['id', 'label', 'roles', 'default', 'widgets'],
  },
  ExtensionSummary: {
    type: 'object',
    description: 'What a package adds to a form it does not ship',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      module: { type: ['string', 'null'], description: 'The package that ships it' },
      form: { type: 'string', description: 'The form it adds to' },
      relatedLists: { ...strings, description: 'Ids of the related lists it adds' },
      tabs: { ...strings, description: 'Ids of the tabs it adds' },
      sections: { ...strings, description: 'Ids of the sections it adds to tabs' },
    },
    required: ['id', 'module', 'form', 'relatedLists', 'tabs', 'sections'],
  },
  FlowSummary: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: labels,
      version,
      entity: { type: 'string', description: 'The entity whose records it moves (one flow each)' },
      stateField: { type: 'string', description: 'The select field holding the state' },
      states: { ...strings, description: 'State ids, in the order declared' },
      transitions: { ...strings, description: 'Transition ids' },
      approvals: { ...strings, description: 'Ids of the transitions that start an approval' },
    },
    required: ['id', 'label', 'entity', 'stateField', 'states', 'transitions', 'approvals'],
  },
  Role: {
    type: 'object',
    description: "A role definition: named rights over entities; a user's roles unite",
    properties: {
      id: { type: 'string' },
      version,
      label: labels,
      description: labels,
      all: { type: 'boolean' },
      grants: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            entity: { type: 'string' },
            scopes: {
              type: 'object',
              propertyNames: { enum: [...ACTIONS] },
              additionalProperties: { enum: [...SCOPES] },
            },
            filters: { type: 'object', description: 'json-logic row filters per action' },
            fields: {
              type: 'object',
              additionalProperties: { enum: ['none', 'read', 'write'] },
            },
          },
          required: ['entity', 'scopes'],
        },
      },
    },
    required: ['id', 'label', 'grants'],
  },
  Navigation: {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            label: labels,
            description: labels,
            version: { type: 'string' },
            entities: { ...strings, description: 'Entity ids in sidebar order' },
          },
          required: ['id', 'label', 'version', 'entities'],
        },
      },
      unassigned: { ...strings, description: 'Top-level entities of no package' },
    },
    required: ['data', 'unassigned'],
  },
  SchemaPlan: {
    type: 'object',
    description: 'What applying the drafts changes in the database',
    properties: { destructive: { type: 'boolean' }, steps: { type: 'array', items: planStep } },
    required: ['destructive', 'steps'],
  },
  PackageBody: {
    type: 'object',
    description:
      'One package as its folder holds it: the manifest (metadata/schemas/package.schema.json) and its definitions; each gets the package id as its `module`',
    properties: {
      manifest: { type: 'object' },
      ...Object.fromEntries(
        Object.keys(PACKAGE_KIND_OF_FOLDER).map((key) => [
          key,
          { type: 'array', items: { $ref: '#/components/schemas/Definition' } },
        ]),
      ),
    },
    required: ['manifest'],
    additionalProperties: false,
  },
  InstallResult: {
    type: 'object',
    properties: {
      plan: { $ref: '#/components/schemas/SchemaPlan' },
      packages: {
        type: 'array',
        description: 'Each given package: its installed version (null if none) and the given one',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            from: { type: ['string', 'null'] },
            to: { type: 'string' },
            step: { enum: ['install', 'upgrade', 'downgrade', 'reinstall'] },
          },
          required: ['id', 'from', 'to', 'step'],
        },
      },
      changes: {
        type: 'array',
        description: 'Definitions the install adds, changes or removes',
        items: {
          type: 'object',
          properties: {
            kind: { enum: ['package', ...Object.values(PACKAGE_KIND_OF_FOLDER)] },
            id: { type: 'string' },
            change: { enum: ['add', 'change', 'remove'] },
          },
          required: ['kind', 'id', 'change'],
        },
      },
      version: { type: 'integer', description: 'The metadata version after the call' },
      applied: { type: 'boolean' },
    },
    required: ['plan', 'packages', 'changes', 'version', 'applied'],
  },
}

import { describe, expect, it } from 'vitest'
import type { MetadataIssue } from './issue'
import { validateReferences } from './references'
import type { Report } from './report'
import { reportBundle, winRateReport } from './report-fixtures'
import { validateDefinition } from './validate'

/** The win-rate report with `change` applied. */
function reportWith(change: (r: Report) => void): Report {
  const report = winRateReport()
  change(report)
  return report
}

/** Issues of a report on its own: schema, then the checks inside it. */
const own = (r: Report) => validateDefinition('report', r)

/** Issues of a report against the fixture entities, paths relative to the report. */
function refs(r: Report): MetadataIssue[] {
  expect(own(r)).toEqual([])
  const prefix = `reports[${r.id}]`
  return validateReferences(reportBundle(r)).map((i) => ({
    path: i.path.startsWith(`${prefix}.`) ? i.path.slice(prefix.length + 1) : i.path,
    message: i.message,
  }))
}

describe('a report on its own', () => {
  it('accepts the win-rate report, and it resolves against the bundle', () => {
    expect(own(winRateReport())).toEqual([])
    expect(refs(winRateReport())).toEqual([])
  })

  it.each<[string, (r: Report) => void, MetadataIssue[]]>([
    [
      'a limit above 1000',
      (r) => (r.limit = 1001),
      [{ path: 'limit', message: 'must be <= 1000' }],
    ],
    ['a limit of 0', (r) => (r.limit = 0), [{ path: 'limit', message: 'must be >= 1' }]],
    [
      'an unknown aggregate',
      (r) => Object.assign(r.measures[0], { aggregate: 'median' }),
      [{ path: 'measures[0].aggregate', message: expect.stringContaining('must be one of') }],
    ],
    [
      'a ratio of one measure',
      (r) => Object.assign(r.measures[2], { ratio: ['won'] }),
      [{ path: 'measures[2].ratio', message: 'must NOT have fewer than 2 items' }],
    ],
    [
      'a ratio without a label',
      (r) => delete (r.measures[2] as { label?: unknown }).label,
      [{ path: 'measures[2].label', message: 'is required' }],
    ],
    [
      'a bucket that does not exist',
      (r) => Object.assign(r.dimensions![1], { bucket: 'fortnight' }),
      [{ path: 'dimensions[1].bucket', message: expect.stringContaining('"fiscalQuarter"') }],
    ],
    [
      'a path of five names',
      (r) => (r.dimensions![0].field = 'a.b.c.d.e'),
      [{ path: 'dimensions[0].field', message: expect.stringContaining('pattern') }],
    ],
    [
      'a fiscal year starting in month 13',
      (r) => (r.fiscalYearStart = 13),
      [{ path: 'fiscalYearStart', message: 'must be <= 12' }],
    ],
    [
      'an unknown parameter type',
      (r) =>
        (r.parameters = [{ id: 'p', type: 'colour', field: 'x', label: { en: 'P' } } as never]),
      [{ path: 'parameters[0].type', message: '"colour" is not a known type' }],
    ],
    [
      'a dateRange default that is no named period',
      (r) =>
        (r.parameters = [
          {
            id: 'closing',
            type: 'dateRange',
            field: 'expectedCloseDate',
            label: { en: 'Closing' },
            default: 'nextCentury' as never,
          },
        ]),
      [{ path: 'parameters[0].default', message: expect.stringContaining('"thisYear"') }],
    ],
  ])('refuses %s at its path (schema)', (_, change, expected) => {
    expect(own(reportWith(change))).toEqual(expected)
  })

  it.each<[string, (r: Report) => void, MetadataIssue[]]>([
    [
      'a dimension and a measure sharing an id',
      (r) => (r.measures[0].id = 'rep'),
      [
        { path: 'measures[0].id', message: "duplicate dimension or measure id 'rep'" },
        { path: 'measures[2].ratio[1]', message: "no measure 'deals'" },
      ],
    ],
    [
      'two parameters with one id',
      (r) =>
        (r.parameters = [
          { id: 'rep', type: 'user', field: 'owner', label: { en: 'Rep' } },
          { id: 'rep', type: 'user', field: 'owner', label: { en: 'Rep' } },
        ]),
      [{ path: 'parameters[1].id', message: "duplicate parameter id 'rep'" }],
    ],
    [
      'a sum without a field',
      (r) => delete (r.measures[3] as { field?: string }).field,
      [{ path: 'measures[3].field', message: 'is required for sum' }],
    ],
    [
      'a ratio naming an unknown measure',
      (r) => Object.assign(r.measures[2], { ratio: ['won', 'all'] }),
      [{ path: 'measures[2].ratio[1]', message: "no measure 'all'" }],
    ],
    [
      'a ratio naming itself',
      (r) => Object.assign(r.measures[2], { ratio: ['winRate', 'deals'] }),
      [{ path: 'measures[2].ratio[0]', message: 'names the measure itself' }],
    ],
    [
      'ratios that depend on each other',
      (r) =>
        r.measures.push({ id: 'back', ratio: ['winRate', 'deals'], label: { en: 'Back' } }) &&
        Object.assign(r.measures[2], { ratio: ['back', 'deals'] }),
      [
        { path: 'measures[2]', message: "'winRate' depends on itself through other measures" },
        { path: 'measures[4]', message: "'back' depends on itself through other measures" },
      ],
    ],
    [
      'a running total of an unknown measure',
      (r) => r.measures.push({ id: 'cumulative', runningTotal: 'nope', label: { en: 'Cum' } }),
      [{ path: 'measures[4].runningTotal', message: "no measure 'nope'" }],
    ],
    [
      'a running total of a ratio',
      (r) => r.measures.push({ id: 'cumulative', runningTotal: 'winRate', label: { en: 'Cum' } }),
      [
        {
          path: 'measures[4].runningTotal',
          message: "'winRate' is no count or sum: a running total adds them up",
        },
      ],
    ],
    [
      'a running total of distinct counts, which do not add up',
      (r) =>
        r.measures.push(
          { id: 'reps', aggregate: 'countDistinct', field: 'owner' },
          { id: 'cumulative', runningTotal: 'reps', label: { en: 'Cum' } },
        ),
      [
        {
          path: 'measures[5].runningTotal',
          message: "'reps' is no count or sum: a running total adds them up",
        },
      ],
    ],
    [
      'a sort key that is no dimension or measure',
      (r) => (r.sort = [{ by: 'amount' }]),
      [{ path: 'sort[0].by', message: "no dimension or measure 'amount'" }],
    ],
    [
      'the same sort key twice',
      (r) => (r.sort = [{ by: 'won' }, { by: 'won', desc: true }]),
      [{ path: 'sort[1].by', message: "duplicate sort key 'won'" }],
    ],
    [
      'shape pivot without its settings',
      (r) => (r.shape = 'pivot'),
      [{ path: 'pivot', message: "is required for shape 'pivot'" }],
    ],
    [
      'funnel settings on a summary',
      (r) => (r.funnel = { dimension: 'rep', measure: 'deals' }),
      [{ path: 'funnel', message: "is used only with shape 'funnel'" }],
    ],
    [
      'a fiscal year start without fiscal buckets',
      (r) => (r.fiscalYearStart = 4),
      [
        {
          path: 'fiscalYearStart',
          message: 'is used only by fiscal buckets and fiscal date ranges',
        },
      ],
    ],
    [
      'a too deep filter',
      (r) => {
        let rule: unknown = true
        for (let i = 0; i < 40; i++) rule = { '!': [rule] }
        r.filter = rule as never
      },
      [{ path: 'filter', message: 'rule is nested more than 32 levels deep' }],
    ],
  ])('refuses %s at its path', (_, change, expected) => {
    expect(own(reportWith(change))).toEqual(expected)
  })
})

describe('report shapes and charts', () => {
  it.each<[string, (r: Report) => void, MetadataIssue[]]>([
    [
      'a pivot naming an unknown dimension, one on both sides and one on neither',
      (r) => {
        r.shape = 'pivot'
        r.dimensions!.push({ id: 'region', field: 'customer.region' })
        r.pivot = { rows: ['rep', 'team'], columns: ['rep'] }
      },
      [
        { path: 'pivot.rows[1]', message: "no dimension 'team'" },
        { path: 'pivot.columns[0]', message: "'rep' is also in rows" },
        { path: 'dimensions[1]', message: "'month' is in neither pivot.rows nor pivot.columns" },
        { path: 'dimensions[2]', message: "'region' is in neither pivot.rows nor pivot.columns" },
      ],
    ],
    [
      'a funnel over a ratio, an unknown dimension and a second dimension',
      (r) => {
        r.shape = 'funnel'
        r.funnel = { dimension: 'stage', measure: 'winRate' }
      },
      [
        { path: 'funnel.dimension', message: "no dimension 'stage'" },
        {
          path: 'funnel.measure',
          message: "'winRate' is no aggregate: stages need counts or sums",
        },
        { path: 'dimensions[0]', message: "a funnel groups by its stages only ('stage')" },
        { path: 'dimensions[1]', message: "a funnel groups by its stages only ('stage')" },
      ],
    ],
    [
      'aging buckets out of order and an unknown measure',
      (r) => {
        r.shape = 'aging'
        r.aging = { field: 'expectedCloseDate', buckets: [30, 90, 60], measure: 'open' }
      },
      [
        { path: 'aging.measure', message: "no measure 'open'" },
        { path: 'aging.buckets[2]', message: 'must be more than 90' },
      ],
    ],
    [
      'a trend over an unbucketed dimension and an unknown measure',
      (r) => {
        r.shape = 'trend'
        r.trend = { dimension: 'rep', measures: ['won', 'lost'] }
      },
      [
        { path: 'trend.dimension', message: "'rep' has no bucket: a trend runs over periods" },
        { path: 'trend.measures[1]', message: "no measure 'lost'" },
      ],
    ],
    [
      'a chart naming unknown parts, a funnel chart on a summary, stacked lines',
      (r) => (r.chart = { type: 'funnel', x: 'stage', series: ['won', 'lost'], stacked: true }),
      [
        { path: 'chart.x', message: "no dimension 'stage'" },
        { path: 'chart.series[1]', message: "no measure 'lost'" },
        { path: 'chart.type', message: "a funnel chart needs shape 'funnel'" },
        { path: 'chart.stacked', message: 'is used only with bar and area charts' },
      ],
    ],
    [
      'a number card over dimensions and several measures',
      (r) => (r.chart = { type: 'number' }),
      [
        { path: 'chart.type', message: 'a number card shows one total: the report has dimensions' },
        { path: 'chart.series', message: 'a number chart shows exactly one measure' },
      ],
    ],
    [
      'a pie of two measures',
      (r) => (r.chart = { type: 'pie', x: 'rep', series: ['won', 'deals'] }),
      [{ path: 'chart.series', message: 'a pie chart shows exactly one measure' }],
    ],
  ])('refuses %s', (_, change, expected) => {
    expect(own(reportWith(change))).toEqual(expected)
  })

  it('accepts a stacked bar chart of named series along a dimension', () => {
    const r = reportWith(
      (r) => (r.chart = { type: 'bar', x: 'month', series: ['won'], stacked: true }),
    )
    expect(own(r)).toEqual([])
  })
})

describe('report references', () => {
  it.each<[string, (r: Report) => void, MetadataIssue[]]>([
    [
      'an unknown source entity',
      (r) => (r.entity = 'deal'),
      [{ path: 'entity', message: "no entity 'deal'" }],
    ],
    [
      'a child entity as the source',
      (r) => {
        r.entity = 'orderLine'
        r.dimensions = []
        r.measures = [{ id: 'lines', aggregate: 'count' }]
        r.filter = undefined
        r.sort = undefined
      },
      [
        {
          path: 'entity',
          message: "'orderLine' is a child entity: report on 'salesOrder' and its child table",
        },
      ],
    ],
    [
      'an unknown field',
      (r) => (r.dimensions![0].field = 'rep'),
      [{ path: 'dimensions[0].field', message: "no field 'rep' in entity 'opportunity'" }],
    ],
    [
      'an unknown field behind a reference',
      (r) => (r.dimensions![0].field = 'customer.sector'),
      [{ path: 'dimensions[0].field', message: "no field 'sector' in entity 'customer'" }],
    ],
    [
      'a path through a field that is no reference',
      (r) => (r.dimensions![0].field = 'stage.label'),
      [
        {
          path: 'dimensions[0].field',
          message:
            "'opportunity.stage' is a select field, not a reference: 'stage.label' cannot go on",
        },
      ],
    ],
    [
      'a path through a system field',
      (r) => (r.dimensions![0].field = 'createdBy.name'),
      [
        {
          path: 'dimensions[0].field',
          message: "'createdBy' is a system field, so 'createdBy.name' cannot go on",
        },
      ],
    ],
    [
      'a field no report may show',
      (r) => (r.dimensions![0].field = 'customer.notes'),
      [
        {
          path: 'dimensions[0].field',
          message: "'customer.notes' is a longText field: reports cannot show it",
        },
      ],
    ],
    [
      'a multiSelect dimension',
      (r) => (r.dimensions![0].field = 'customer.tags'),
      [
        {
          path: 'dimensions[0].field',
          message: "'customer.tags' holds several values: filter on it instead",
        },
      ],
    ],
    [
      'a bucket on a field that is no date',
      (r) => (r.dimensions![0].bucket = 'month'),
      [
        {
          path: 'dimensions[0].bucket',
          message: "'owner' is a user field, not a date or datetime",
        },
      ],
    ],
    [
      'a datetime without a bucket',
      (r) => (r.dimensions![1] = { id: 'month', field: 'createdAt' }),
      [
        {
          path: 'dimensions[1].bucket',
          message: "is required for the datetime 'createdAt' (day, week, month, …)",
        },
      ],
    ],
    [
      'a sum of a select and an average of a reference',
      (r) =>
        r.measures.push(
          { id: 'stages', aggregate: 'sum', field: 'stage' },
          { id: 'avgCustomer', aggregate: 'avg', field: 'customer' },
        ),
      [
        { path: 'measures[4].field', message: "sum needs a number, and 'stage' is a select field" },
        {
          path: 'measures[5].field',
          message: "avg needs a number, and 'customer' is a reference field",
        },
      ],
    ],
    [
      'the max of a text',
      (r) => r.measures.push({ id: 'lastName', aggregate: 'max', field: 'name' }),
      [
        {
          path: 'measures[4].field',
          message: "max needs a number or a date, and 'name' is a text field",
        },
      ],
    ],
    [
      'a filter and a measure filter naming unknown fields',
      (r) => {
        r.filter = { '==': [{ var: 'region' }, { var: '$user.region' }] }
        Object.assign(r.measures[1], { filter: { '==': [{ var: 'status' }, 'won'] } })
      },
      [
        { path: 'filter', message: "no field 'region' in entity 'opportunity'" },
        { path: 'measures[1].filter', message: "no field 'status' in entity 'opportunity'" },
      ],
    ],
    [
      'a running total without a date dimension',
      (r) => {
        r.dimensions = [{ id: 'rep', field: 'owner' }]
        r.measures.push({ id: 'cumulative', runningTotal: 'wonAmount', label: { en: 'Cum' } })
      },
      [
        {
          path: 'measures[4].runningTotal',
          message: 'runs along a date dimension, and the report has none',
        },
      ],
    ],
  ])('refuses %s', (_, change, expected) => {
    expect(refs(reportWith(change))).toEqual(expected)
  })

  it.each<[string, Report['parameters'], MetadataIssue[]]>([
    [
      'a date range over a select',
      [{ id: 'p', type: 'dateRange', field: 'stage', label: { en: 'P' } }],
      [
        {
          path: 'parameters[0].field',
          message: "a dateRange parameter needs a date or datetime field, and 'stage' is select",
        },
      ],
    ],
    [
      'a user parameter over a department',
      [{ id: 'p', type: 'user', field: 'customer.department', label: { en: 'P' } }],
      [
        {
          path: 'parameters[0].field',
          message: "a user parameter needs a user field, and 'customer.department' is department",
        },
      ],
    ],
    [
      'a department parameter over a user',
      [{ id: 'p', type: 'department', field: 'owner', label: { en: 'P' } }],
      [
        {
          path: 'parameters[0].field',
          message: "a department parameter needs a department field, and 'owner' is user",
        },
      ],
    ],
    [
      'a select default that is no option',
      [{ id: 'p', type: 'select', field: 'stage', label: { en: 'P' }, default: ['won', 'closed'] }],
      [{ path: 'parameters[0].default[1]', message: "'closed' is not an option of stage" }],
    ],
  ])('refuses %s', (_, parameters, expected) => {
    expect(refs(reportWith((r) => (r.parameters = parameters)))).toEqual(expected)
  })

  it('accepts parameters of each type on fields of that type, along references', () => {
    const r = reportWith(
      (r) =>
        (r.parameters = [
          {
            id: 'closing',
            type: 'dateRange',
            field: 'expectedCloseDate',
            label: { en: 'Closing' },
            default: 'thisYear',
          },
          {
            id: 'stages',
            type: 'select',
            field: 'stage',
            label: { en: 'Stages' },
            default: ['won'],
          },
          { id: 'rep', type: 'user', field: 'owner', label: { en: 'Rep' }, default: '$user' },
          { id: 'team', type: 'department', field: 'customer.department', label: { en: 'Team' } },
        ]),
    )
    expect(refs(r)).toEqual([])
  })

  it('joins a child table and goes on along its references', () => {
    const r: Report = {
      id: 'by-category',
      label: { en: 'By category' },
      entity: 'salesOrder',
      dimensions: [{ id: 'category', field: 'lines.product.category' }],
      measures: [
        { id: 'amount', aggregate: 'sum', field: 'lines.amount' },
        { id: 'orders', aggregate: 'countDistinct', field: 'customer' },
      ],
    }
    expect(refs(r)).toEqual([])
  })

  it('refuses a filter on a file or child-table field when saved, as the run would', () => {
    const r: Report = {
      id: 'signed',
      label: { en: 'Signed orders' },
      entity: 'salesOrder',
      dimensions: [{ id: 'owner', field: 'owner' }],
      measures: [{ id: 'orders', aggregate: 'count' }],
      filter: { '!!': [{ var: 'contract' }] },
    }
    expect(refs(r)).toEqual([
      { path: 'filter', message: "field 'contract' (attachment) cannot be used in a filter" },
    ])
    r.filter = { '!!': [{ var: 'lines' }] }
    expect(refs(r)).toEqual([
      { path: 'filter', message: "field 'lines' (childTable) cannot be used in a filter" },
    ])
  })

  it('refuses a parent amount summed over child rows, and a second child table', () => {
    const r: Report = {
      id: 'by-category',
      label: { en: 'By category' },
      entity: 'salesOrder',
      dimensions: [{ id: 'category', field: 'lines.product.category' }],
      measures: [{ id: 'total', aggregate: 'sum', field: 'total' }],
      parameters: [{ id: 'p', type: 'select', field: 'customer.region', label: { en: 'Region' } }],
    }
    expect(refs(r)).toEqual([
      {
        path: 'measures[0].field',
        message:
          "would count 'total' once per row of child table 'lines': fold a field of its rows instead",
      },
    ])
    const bundle = reportBundle(r)
    const order = bundle.entities.find((e) => e.id === 'salesOrder')!
    order.fields.push({
      name: 'notes2',
      type: 'childTable',
      label: { en: 'N' },
      entity: 'orderLine',
    })
    r.measures = [{ id: 'qty', aggregate: 'sum', field: 'notes2.quantity' }]
    expect(validateReferences(bundle)).toContainEqual({
      path: 'reports[by-category].measures[0].field',
      message:
        "enters child table 'notes2', but dimensions[0].field enters 'lines': one child table per report",
    })
  })

  it('refuses a child table at the end of a path or behind a reference', () => {
    const r: Report = {
      id: 'x',
      label: { en: 'X' },
      entity: 'opportunity',
      dimensions: [{ id: 'lines', field: 'customer.name' }],
      measures: [{ id: 'n', aggregate: 'countDistinct', field: 'customer' }],
    }
    const bundle = reportBundle(r)
    bundle.entities
      .find((e) => e.id === 'customer')!
      .fields.push({ name: 'orders', type: 'childTable', label: { en: 'O' }, entity: 'orderLine' })
    r.dimensions = [
      { id: 'a', field: 'customer.orders' },
      { id: 'b', field: 'customer.orders.quantity' },
    ]
    expect(validateReferences(bundle).map((i) => i.message)).toEqual(
      expect.arrayContaining([
        "'customer.orders' is a child table: name a field of its rows",
        "'customer.orders' is a child table: only the source's own join",
      ]),
    )
  })

  it('checks funnel stages against the select options and aging fields for dates', () => {
    const funnel: Report = {
      id: 'funnel',
      label: { en: 'Funnel' },
      entity: 'opportunity',
      shape: 'funnel',
      dimensions: [{ id: 'stage', field: 'lostReason' }],
      measures: [{ id: 'deals', aggregate: 'count' }],
      funnel: { dimension: 'stage', stages: ['price', 'signed'], measure: 'deals' },
    }
    expect(refs(funnel)).toEqual([
      { path: 'funnel.stages[1]', message: "'signed' is not an option of lostReason" },
    ])
    funnel.dimensions = [{ id: 'stage', field: 'owner' }]
    expect(refs(funnel)).toEqual([
      { path: 'funnel.dimension', message: "'stage' is a user field: funnel stages need a select" },
    ])
    const aging: Report = {
      id: 'aging',
      label: { en: 'Aging' },
      entity: 'salesOrder',
      shape: 'aging',
      measures: [{ id: 'open', aggregate: 'sum', field: 'outstanding' }],
      aging: { field: 'status', buckets: [30, 60], measure: 'open' },
    }
    expect(refs(aging)).toEqual([
      { path: 'aging.field', message: "'status' is a select field, not a date or datetime" },
    ])
  })

  it('folds the records pointing at the source with via, and refuses what cannot be folded', () => {
    const campaigns: Report = {
      id: 'campaigns',
      label: { en: 'Campaigns' },
      entity: 'campaign',
      dimensions: [{ id: 'campaign', field: 'name' }],
      measures: [
        { id: 'cost', aggregate: 'sum', field: 'actualCost' },
        { id: 'leads', aggregate: 'count', via: 'lead.campaign' },
        {
          id: 'won',
          aggregate: 'sum',
          field: 'amount',
          via: 'opportunity.campaign',
          filter: { '==': [{ var: 'stage' }, 'won'] },
        },
        { id: 'perLead', ratio: ['cost', 'leads'], label: { en: 'Cost per lead' } },
      ],
    }
    expect(refs(campaigns)).toEqual([])
    const bad = structuredClone(campaigns)
    bad.measures[1] = { id: 'leads', aggregate: 'count', via: 'lead.company' }
    bad.measures[2] = { id: 'won', aggregate: 'sum', field: 'name', via: 'opportunity.campaign' }
    bad.measures.push(
      { id: 'quotes', aggregate: 'count', via: 'quote.campaign' },
      { id: 'stages', aggregate: 'count', via: 'opportunity.campaign', filter: { var: 'phase' } },
    )
    expect(refs(bad)).toEqual([
      {
        path: 'measures[1].via',
        message: "'lead.company' is not a reference field pointing at 'campaign'",
      },
      { path: 'measures[2].field', message: "sum needs a number, and 'name' is a text field" },
      { path: 'measures[4].via', message: "no entity 'quote'" },
      { path: 'measures[5].filter', message: "no field 'phase' in entity 'opportunity'" },
    ])
    const twice = structuredClone(campaigns)
    twice.measures[1] = {
      id: 'leads',
      aggregate: 'avg',
      field: 'amount',
      via: 'opportunity.campaign',
    }
    expect(own(twice)).toEqual([
      {
        path: 'measures[1].aggregate',
        message:
          'avg cannot be folded per record and then per group: use count, sum, min, max with via',
      },
    ])
    const lines: Report = {
      id: 'lines',
      label: { en: 'Lines' },
      entity: 'salesOrder',
      dimensions: [{ id: 'product', field: 'lines.product' }],
      measures: [{ id: 'n', aggregate: 'count', via: 'opportunity.customer' }],
    }
    expect(refs(lines).map((i) => i.path)).toEqual(['measures[0].via', 'measures[0].via'])
  })

  it('refuses a ratio over the first or last of a date when saved, as the run would', () => {
    const report = reportWith((r) =>
      r.measures.push(
        { id: 'firstClose', aggregate: 'min', field: 'expectedCloseDate' },
        { id: 'odd', ratio: ['won', 'firstClose'], label: { en: 'Odd' } },
      ),
    )
    expect(refs(report)).toEqual([
      {
        path: 'measures[5].ratio[1]',
        message: "'firstClose' is the min of the date 'expectedCloseDate': a ratio divides numbers",
      },
    ])
  })
})

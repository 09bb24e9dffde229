// Column expressions for bulk seeding with `generate_series(…) as n` (n is bigint). Static SQL written here (no
// input reaches it); the varying values are parameters: $1 first n, $2 last n, $3 owner ids.
// Values vary deterministically with n so every run seeds the same data.

const words = (list: string[]) => `(array[${list.map((w) => `'${w}'`).join(',')}])`
const pick = (list: string[], mult: number) =>
  `${words(list)}[(1 + (n * ${mult}) % ${list.length})::int]`

const FIRST = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
  'Aperture',
  'Gringotts',
  'Oscorp',
  'Monarch',
  'Pied Piper',
  'Dunder',
  'Sterling',
  'Blue Sun',
]
const SECOND = [
  'Trading',
  'Systems',
  'Logistics',
  'Foods',
  'Health',
  'Robotics',
  'Textiles',
  'Energy',
  'Media',
  'Motors',
  'Partners',
  'Labs',
  'Holdings',
  'Retail',
  'Works',
]
const STREETS = [
  'Nanjing Rd',
  'Main St',
  'Gangnam-daero',
  'Huaihai Rd',
  'Market St',
  'Zhongshan Rd',
  'Teheran-ro',
  'High St',
]

/** A customer's id from its number: stable, so related rows can point at it without a join. */
export const customerId = (n: string) => `md5('bench-customer-' || ${n})::uuid`

/** customer column → expression over n (only columns present in the table are used). */
export const CUSTOMER_COLUMNS: Record<string, string> = {
  id: customerId('n'),
  version: '1',
  created_at: `now() - interval '1 minute' - ((n * 7919) % 94608000) * interval '1 second' - (n % 1000) * interval '1 microsecond'`,
  updated_at: `now() - interval '1 minute' - ((n * 7919) % 94608000) * interval '1 second'`,
  created_by: '($3::uuid[])[(1 + n % cardinality($3::uuid[]))::int]',
  updated_by: '($3::uuid[])[(1 + n % cardinality($3::uuid[]))::int]',
  name: `${pick(FIRST, 1)} || ' ' || ${pick(SECOND, 7)} || ' ' || n`,
  code: `'CUS-' || lpad(n::text, 7, '0')`,
  phone: `'+86 1' || lpad(((n * 104729) % 10000000000)::text, 10, '0')`,
  email: `'contact' || n || '@example.com'`,
  website: `case when n % 3 = 0 then 'https://www.example' || n || '.com' end`,
  industry: pick(
    [
      'manufacturing',
      'retail',
      'it',
      'finance',
      'healthcare',
      'education',
      'construction',
      'logistics',
      'other',
    ],
    7,
  ),
  level: `case when n % 10 = 0 then 'A' when n % 10 < 4 then 'B' else 'C' end`,
  region: pick(['east', 'south', 'north', 'central', 'west', 'overseas'], 13),
  source: pick(['website', 'referral', 'exhibition', 'coldCall', 'advertising', 'other'], 17),
  status: `case when n % 20 = 0 then 'lost' when n % 7 = 0 then 'dormant' when n % 5 = 0 then 'prospect' else 'active' end`,
  tags: `case when n % 7 = 0 then array['vip'] when n % 11 = 0 then array['partner','export'] else '{}'::text[] end`,
  employees: '(n * 31) % 5000',
  credit_limit: '((n * 97) % 100000)::numeric(18,2)',
  credit_limit_currency: `'CNY'`,
  address: `'No. ' || (1 + n % 999) || ' ' || ${pick(STREETS, 3)}`,
  owner: '($3::uuid[])[(1 + n % cardinality($3::uuid[]))::int]',
  last_follow_up_at: `case when n % 4 = 0 then null else now() - ((n * 37) % 365) * interval '1 day' end`,
  notes: `case when n % 9 = 0 then 'Prefers email. Quarterly review.' end`,
}

/** contact columns; `n` is the customer number, `k` the contact's position (1…). */
export const CONTACT_COLUMNS: Record<string, string> = {
  id: `md5('bench-contact-' || n || '-' || k)::uuid`,
  version: '1',
  created_at: `now() - interval '1 minute' - ((n * 7919 + k * 3600) % 94608000) * interval '1 second'`,
  updated_at: `now() - interval '1 minute'`,
  created_by: '($3::uuid[])[(1 + n % cardinality($3::uuid[]))::int]',
  name: `${pick(['Wei', 'Min-jun', 'Alex', 'Li', 'Seo-yeon', 'Sam', 'Jun', 'Maria'], 1)} || ' ' || ${pick(['Zhang', 'Kim', 'Smith', 'Wang', 'Park', 'Chen', 'Lee', 'Garcia'], 3)} || ' ' || k`,
  customer: customerId('n'),
  job_title: pick(['Purchasing manager', 'CEO', 'CFO', 'Engineer', 'Assistant'], 5),
  mobile: `'+86 13' || lpad(((n * 7 + k) % 1000000000)::text, 9, '0')`,
  email: `'c' || n || '.' || k || '@example.com'`,
  is_primary: 'k = 1',
}

/** opportunity columns; `n` is the customer number, `k` the opportunity's position (1…). */
export const OPPORTUNITY_COLUMNS: Record<string, string> = {
  id: `md5('bench-opportunity-' || n || '-' || k)::uuid`,
  version: '1',
  created_at: `now() - interval '1 minute' - ((n * 7919 + k * 86400) % 94608000) * interval '1 second'`,
  updated_at: `now() - interval '1 minute'`,
  created_by: '($3::uuid[])[(1 + n % cardinality($3::uuid[]))::int]',
  name: `'Deal ' || n || '-' || k`,
  customer: customerId('n'),
  stage: pick(['qualification', 'needsAnalysis', 'proposal', 'negotiation', 'won', 'lost'], 1),
  amount: '((n * 13 + k * 1000) % 500000)::numeric(18,2)',
  amount_currency: `'CNY'`,
  expected_close_date: `(current_date + ((n + k) % 180)::int)`,
  owner: '($3::uuid[])[(1 + n % cardinality($3::uuid[]))::int]',
}

/**
 * `insert into app.<table> (cols) select exprs from generate_series($1, $2) n [cross join …]`,
 * for the columns the table really has. Throws naming a required column it cannot fill.
 */
export function buildBulkInsert(
  table: string,
  generators: Record<string, string>,
  columns: { name: string; required: boolean }[],
  from: string,
): string {
  const present = columns.filter((c) => c.name in generators)
  const missing = columns.filter((c) => c.required && !(c.name in generators))
  if (missing.length) {
    throw new Error(
      `app.${table} has required columns the seeder does not fill: ${missing.map((c) => c.name).join(', ')}`,
    )
  }
  const names = present.map((c) => `"${c.name}"`).join(', ')
  const exprs = present.map((c) => generators[c.name]).join(',\n  ')
  return `insert into app."${table}" (${names})\nselect ${exprs}\nfrom ${from}`
}

import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type postgres from 'postgres'

const BATCH = 1000
const LEVELS = new Set(['A', 'B', 'C'])
const REGIONS = new Set(['east', 'south', 'north', 'central', 'west', 'overseas'])
const PHONE = /^[0-9+\-() ]{3,30}$/
// The name rule's normal form, as the customer table's name_dedup index computes it.
const norm = (col: string) =>
  `lower(btrim(regexp_replace(normalize(${col}, NFKC), '\\s+', ' ', 'g')))`

/** The written values as the audit row and the event carry them. */
const CHANGES = (t: string) =>
  `jsonb_build_object('name', ${t}.name, 'phone', ${t}.phone, 'level', ${t}.level, 'region', ${t}.region, 'employees', ${t}.employees, 'creditLimit', ${t}.credit_limit)`

interface Row {
  name: string
  phone: string | null
  level: string | null
  region: string | null
  employees: number | null
  credit: string | null
}

/** One line of the bench's file (no quoted cells), validated; null when refused. */
function readRow(line: string): Row | null {
  const [name = '', phone, level, region, employees, credit] = line.split(',')
  if (!name.trim() || name.length > 200) return null
  if (phone && !PHONE.test(phone)) return null
  if (level && !LEVELS.has(level)) return null
  if (region && !REGIONS.has(region)) return null
  const count = employees ? Number(employees) : null
  if (count !== null && (!Number.isInteger(count) || count < 0)) return null
  const amount = credit ? Number(credit) : null
  if (amount !== null && (!Number.isFinite(amount) || amount < 0)) return null
  return {
    name,
    phone: phone || null,
    level: level || null,
    region: region || null,
    employees: count,
    credit: credit || null,
  }
}

/**
 * Target 7's hand-written reference: the same file upserted by the customer's name rule into
 * the same table (its indexes included), as a competent developer would write it without a
 * platform — streamed, validated in code, 1,000 rows a transaction: the batch's name locks, one
 * update of the rows whose normalised name exists, one insert of the others with their code drawn
 * from the same sequence, an audit row and an outbox event per written row. `table` (default
 * `app.customer`) names a copy of the customer table to write to instead, as the bench's
 * index references do.
 */
export async function handWrittenImport(
  sql: postgres.Sql,
  file: string,
  userId: string,
  table = 'app.customer',
): Promise<{ seconds: number; inserted: number; updated: number; refused: number }> {
  const started = performance.now()
  let inserted = 0
  let updated = 0
  let refused = 0
  let batch: Row[] = []
  const flush = async () => {
    if (!batch.length) return
    const rows = batch
    batch = []
    const col = <K extends keyof Row>(k: K) => rows.map((r) => r[k])
    const done = await sql.begin(async (tx) => {
      await tx`select count(pg_advisory_xact_lock(hashtext('customer.name'), hashtext(k)))
        from (select distinct ${tx.unsafe(norm('n'))} as k from unnest(${col('name')}::text[]) n
          order by 1) keys`
      const [counts] = await tx`
        with v as (
          select * from unnest(${col('name')}::text[], ${col('phone')}::text[],
            ${col('level')}::text[], ${col('region')}::text[], ${col('employees')}::int[],
            ${col('credit')}::numeric[]) with ordinality
            as v(name, phone, level, region, employees, credit, ord)),
        u as (update ${tx(table)} c set phone = v.phone, level = v.level, region = v.region,
            employees = v.employees, credit_limit = v.credit, credit_limit_currency = 'CNY',
            version = c.version + 1, updated_at = now(), updated_by = ${userId}
          from v where ${tx.unsafe(norm('c.name'))} = ${tx.unsafe(norm('v.name'))}
          returning c.id, c.version, ${tx.unsafe(norm('c.name'))} as k, ${tx.unsafe(CHANGES('c'))} as changes),
        i as (insert into ${tx(table)} as n (name, phone, level, region, employees, credit_limit,
            credit_limit_currency, status, owner, code, created_by, updated_by)
          select v.name, v.phone, v.level, v.region, v.employees, v.credit, 'CNY', 'active',
            ${userId}, 'CUS-' || lpad(nextval('app.customer_code_seq')::text, 7, '0'),
            ${userId}, ${userId}
          from v where ${tx.unsafe(norm('v.name'))} not in (select k from u) order by v.ord
          returning id, version, ${tx.unsafe(CHANGES('n'))} as changes),
        w as (select id, version, changes, 'updated' as action from u
          union all select id, version, changes, 'created' from i),
        a as (insert into audit_log (entity, record_id, action, user_id, changes, version)
          select 'customer', w.id, w.action, ${userId}, w.changes, w.version from w),
        o as (insert into outbox (entity, record_id, event, payload, user_id)
          select 'customer', w.id, w.action,
            jsonb_build_object('changes', w.changes, 'id', w.id, 'version', w.version), ${userId}
          from w)
        select (select count(*) from i)::int as inserted, (select count(*) from u)::int as updated`
      return counts
    })
    inserted += done.inserted
    updated += done.updated
  }
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  let header = true
  for await (const line of lines) {
    if (header || !line) {
      header = false
      continue
    }
    const row = readRow(line)
    if (!row) refused++
    else batch.push(row)
    if (batch.length === BATCH) await flush()
  }
  await flush()
  return { seconds: (performance.now() - started) / 1000, inserted, updated, refused }
}

import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../runtime/db'

const root = resolve(import.meta.dirname, '../..')

function trellis(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/trellis.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  })
  return { code: result.status, out: `${result.stdout}${result.stderr}` }
}

describe('the trellis CLI', () => {
  it('validates the shipped modules', () => {
    const { code, out } = trellis(['validate', 'seeds'])
    expect(out).toMatch(/file\(s\) valid/)
    expect(code).toBe(0)
  })

  it('names the JSON path of each problem in a bad definition and every dangling reference', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-validate-'))
    mkdirSync(join(dir, 'entities'))
    mkdirSync(join(dir, 'forms'))
    const label = { en: 'x' }
    writeFileSync(
      join(dir, 'entities', 'thing.json'),
      JSON.stringify({ id: 'thing', label, fields: [{ name: 'a', type: 'textt', label }] }),
    )
    writeFileSync(
      join(dir, 'forms', 'thing.json'),
      JSON.stringify({ id: 'thing', entity: 'thing', label, tabs: [] }),
    )
    const bad = trellis(['validate', dir])
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('fields[0].type')

    writeFileSync(
      join(dir, 'entities', 'thing.json'),
      JSON.stringify({
        id: 'thing',
        label,
        fields: [{ name: 'a', type: 'reference', entity: 'nowhere', label }],
      }),
    )
    writeFileSync(
      join(dir, 'forms', 'thing.json'),
      JSON.stringify({
        id: 'thing',
        entity: 'thing',
        label,
        tabs: [{ id: 'main', label, sections: [{ id: 's', fields: [{ field: 'missing' }] }] }],
      }),
    )
    const dangling = trellis(['validate', dir])
    expect(dangling.code).toBe(1)
    expect(dangling.out).toContain('nowhere')
    expect(dangling.out).toContain('missing')
  })

  it('refuses a second process on the same PGlite data folder with a clear message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trellis-lock-'))
    const db = await openDb({ dataDir })
    try {
      const { code, out } = trellis(['migrate'], { TRELLIS_DATA_DIR: dataDir })
      expect(code).toBe(1)
      expect(out).toMatch(/in use by another Trellis process/)
    } finally {
      await db.close()
    }
    const again = trellis(['migrate'], { TRELLIS_DATA_DIR: dataDir })
    expect(again.out).toContain('up to date')
    expect(again.code).toBe(0)
  })

  it('plans the shipped modules as a readable diff, applies them, then plans nothing', () => {
    const env = { TRELLIS_DATA_DIR: mkdtempSync(join(tmpdir(), 'trellis-plan-')) }
    const plan = trellis(['plan', '--dir', 'seeds'], env)
    expect(plan.code).toBe(0)
    expect(plan.out).toMatch(/createTable\s+create table for customer/)
    expect(plan.out).toContain('create table "app"."customer"')
    const apply = trellis(['apply', '--dir', 'seeds'], env)
    expect(apply.out).toContain('Published metadata version 1.')
    expect(apply.code).toBe(0)
    expect(trellis(['plan', '--dir', 'seeds'], env).out).toContain('No schema changes.')
  })

  it('creates an operator user and refuses a duplicate username', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trellis-user-'))
    const env = { TRELLIS_DATA_DIR: dataDir }
    const first = trellis(
      ['user', 'create', '--username', 'ops', '--password', 'correct horse', '--admin'],
      env,
    )
    expect(first.out).toMatch(/Created user ops/)
    expect(first.code).toBe(0)
    const second = trellis(
      ['user', 'create', '--username', 'OPS', '--password', 'correct horse'],
      env,
    )
    expect(second.code).toBe(1)
  })
})

describe('trellis import users', () => {
  it('imports an organisation file whose headers only a --mapping file names, and names a bad mapping', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trellis-org-cli-'))
    const env = { TRELLIS_DATA_DIR: dataDir }
    expect(trellis(['migrate'], env).code).toBe(0)
    const staff = join(dataDir, 'staff.csv')
    writeFileSync(
      staff,
      'Login ID,Person,Team,Desk\nhan,韩梅,Acme/Sales,3F\nlee,이수진,Acme/Sales,4F\n',
    )

    // Headers nobody would guess: without a mapping the file has no username column.
    const unmapped = trellis(['import', 'users', staff], env)
    expect(unmapped.code).toBe(1)
    expect(unmapped.out).toMatch(/username/)

    const mapping = join(dataDir, 'mapping.json')
    writeFileSync(mapping, JSON.stringify({ 'Login ID': 'username', Desk: 'floor' }))
    const unknown = trellis(['import', 'users', staff, '--mapping', mapping], env)
    expect(unknown.code).toBe(1)
    expect(unknown.out).toContain('mapping.Desk')

    writeFileSync(mapping, '{ "Login ID": ')
    const broken = trellis(['import', 'users', staff, '--mapping', mapping], env)
    expect(broken.code).toBe(1)
    expect(broken.out).toContain('--mapping')

    writeFileSync(
      mapping,
      JSON.stringify({
        'Login ID': 'username',
        Person: 'displayName',
        Team: 'department',
        Desk: null,
      }),
    )
    const done = trellis(['import', 'users', staff, '--mapping', mapping], env)
    expect(done.out).toContain('department created: Acme/Sales')
    expect(done.out).toContain('Users: 2 created')
    expect(done.code).toBe(0)
  }, 240_000)
})

describe('trellis import --group', () => {
  it('imports sales orders whose lines share a Ref column, and names group when the file lacks it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trellis-group-cli-'))
    const env = { TRELLIS_DATA_DIR: dataDir }
    expect(trellis(['apply', '--dir', 'seeds'], env).code).toBe(0)
    const ops = ['user', 'create', '--username', 'ops', '--password', 'correct horse', '--admin']
    expect(trellis(ops, env).code).toBe(0)
    const as = ['--as', 'ops']
    const file = (name: string, text: string) => {
      const path = join(dataDir, name)
      writeFileSync(path, text)
      return path
    }
    const customers = file('customers.csv', 'Customer name\nACME\nBeta Ltd\n')
    // Without --as: the system user, which owns nothing (the owner's currentUser default stays empty).
    const system = trellis(['import', 'customer', customers], env)
    expect(system.out).toContain('2 inserted, 0 updated, 0 refused')
    expect(system.code).toBe(0)
    const products = file(
      'products.csv',
      'Product code,Product name,List price\nW-1,Widget,10\nG-2,Gadget,26\n',
    )
    expect(trellis(['import', 'product', products, ...as], env).code).toBe(0)

    // One row per line; the Ref of the system the file comes from says which rows are one order.
    const orders = file(
      'orders.csv',
      [
        'Ref,Customer,Order date,Product,Quantity,Unit price (excl. tax)',
        'A-1001,ACME,2026-03-02,Widget,2,',
        'A-1001,,,Gadget,1,30',
        'A-1001,,,Widget,5,9.50',
        'A-1002,Beta Ltd,2026-03-03,Gadget,3,',
      ].join('\n'),
    )
    const missing = trellis(['import', 'salesOrder', orders, '--group', 'Reference', ...as], env)
    expect(missing.code).toBe(1)
    expect(missing.out).toContain('group')

    const done = trellis(['import', 'salesOrder', orders, '--group', 'Ref', ...as], env)
    expect(done.out).toContain(
      'Imported 4 row(s) into salesOrder: 2 inserted, 0 updated, 0 refused',
    )
    expect(done.code).toBe(0)

    const db = await openDb({ dataDir })
    try {
      const rows = await db.query<{ customer: string; line: string }>(sql`
        select c.name as customer, p.code || '×' || l.quantity || '@' || l.unit_price as line
        from app.sales_order o join app.customer c on c.id = o.customer
        join app.order_line l on l.parent_id = o.id join app.product p on p.id = l.product
        order by o.number, l.position`)
      expect(rows.map((r) => `${r.customer}: ${r.line}`)).toEqual([
        // A blank unit price is filled from the product, as the form fills it.
        'ACME: W-1×2@10.00',
        'ACME: G-2×1@30.00',
        'ACME: W-1×5@9.50',
        'Beta Ltd: G-2×3@26.00',
      ])
    } finally {
      await db.close()
    }
  }, 420_000)
})

import { spawn, spawnSync } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { openDb } from '../../runtime/db'
import { applyDrafts, loadPublishedMetadata, saveDraft } from '../../runtime/registry'
import { openAppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

const root = resolve(import.meta.dirname, '../..')

function trellis(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/trellis.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    timeout: 180_000,
  })
  return { code: result.status, out: `${result.stdout}${result.stderr}` }
}

const label = { en: 'Memo' }

/** A copy of a shipped package in a temporary folder, to break on purpose. */
function copyOf(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'trellis-pkg-')), name)
  cpSync(join(root, 'seeds', name), dir, { recursive: true })
  return dir
}

describe('trellis with package folders', () => {
  it('refuses a package folder with an unknown subfolder, naming it, with a non-zero exit', () => {
    const dir = copyOf('customer')
    mkdirSync(join(dir, 'widgets'))
    writeFileSync(join(dir, 'widgets', 'lead.json'), '{}')
    for (const command of [
      ['validate', dir],
      ['plan', '--dir', dir],
    ]) {
      const { code, out } = trellis(command, {
        TRELLIS_DATA_DIR: mkdtempSync(join(tmpdir(), 't-')),
      })
      expect(code, command[0]).not.toBe(0)
      expect(out).toContain(join(dir, 'widgets'))
      expect(out).not.toMatch(/file\(s\) valid/)
    }
  }, 180_000)

  it('refuses a definition file of an unknown kind and a folder that is not a package', () => {
    const parent = mkdtempSync(join(tmpdir(), 'trellis-pkgs-'))
    cpSync(join(root, 'seeds', 'customer'), join(parent, 'customer'), { recursive: true })
    mkdirSync(join(parent, 'stray', 'entities'), { recursive: true })
    writeFileSync(join(parent, 'stray', 'entities', 'x.json'), '{}')
    const stray = trellis(['validate', parent])
    expect(stray.code).toBe(1)
    expect(stray.out).toContain(`${join(parent, 'stray')}: not a package folder`)
    writeFileSync(join(parent, 'customer', 'alerts.json'), '{}')
    const loose = trellis(['validate', join(parent, 'customer', 'alerts.json')])
    expect(loose.code).toBe(1)
    expect(loose.out).toContain('alerts.json: not a metadata file')
  }, 180_000)

  it('validates one entity file of a shipped module against the shipped packages', () => {
    const { code, out } = trellis(['validate', 'seeds/customer/entities/customer.json'])
    expect(out).not.toContain("no package 'customer'")
    expect(out).toContain('1 file(s) valid')
    expect(code).toBe(0)
  }, 180_000)

  it("reads a package's flows, skips their scenarios and names a bad flow by file and path", () => {
    const dir = copyOf('customer')
    const file = join(dir, 'flows', 'opportunity-stages.json')
    const flow = JSON.parse(readFileSync(file, 'utf8')) as { transitions: { to: string }[] }
    flow.transitions[0].to = 'nowhere'
    writeFileSync(file, JSON.stringify(flow))
    const { code, out } = trellis(['validate', dir])
    expect(code).not.toBe(0)
    expect(out).toContain(`${file}: transitions[0].to: no state 'nowhere' in the flow`)
    expect(out).not.toContain('scenarios.json')
  }, 180_000)

  it("refuses a package naming another package's role or calendar without depending on it", () => {
    const dir = copyOf('hr-admin')
    const file = join(dir, 'manifest.json')
    const { dependencies: _d, ...manifest } = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify(manifest))
    const { code, out } = trellis(['validate', dir])
    expect(code).not.toBe(0)
    const flow = 'flows[expenseClaimApproval].transitions[0].approval.steps[2].approvers[0].role'
    expect(out).toContain(`${flow}: no role 'finance' in package 'hr-admin' or the packages`)
    expect(out).toContain("no calendar 'china-office' in package 'hr-admin'")
  }, 180_000)

  it('installs a package through a running server with --url and an administrator token', async () => {
    const f = await openAppFixture(testTargets()[0])
    const server = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((ok) => server.once('listening', ok))
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'trellis-remote-')), 'notes')
      mkdirSync(join(dir, 'entities'), { recursive: true })
      const manifest = { id: 'notes', version: '1.0.0', label }
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
      const note = { id: 'note', label, fields: [{ name: 'text', type: 'text', label }] }
      writeFileSync(join(dir, 'entities', 'note.json'), JSON.stringify(note))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      // Asynchronous: the server answering the CLI runs in this process.
      const run = (args: string[]) =>
        new Promise<{ code: number | null; out: string }>((done) => {
          const child = spawn(process.execPath, ['bin/trellis.mjs', ...args], {
            cwd: root,
            env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' },
          })
          let out = ''
          child.stdout.on('data', (d) => (out += d))
          child.stderr.on('data', (d) => (out += d))
          child.on('close', (code) => done({ code, out }))
        })
      const denied = await run(['install', dir, '--url', url, '--token', f.clerkToken])
      expect(denied.code).toBe(1)
      expect(denied.out).toContain('403')
      const ok = await run(['install', dir, '--url', url, '--token', f.adminToken])
      expect(ok.out).toMatch(/^\+ entity\s+note$/m)
      expect(ok.code).toBe(0)
      const res = await f.call('GET', '/api/meta/entities/note', { token: f.adminToken })
      expect(res.status).toBe(200)
    } finally {
      server.close()
      await f.close()
    }
  }, 180_000)

  it('installs packages one by one, plans several --dir at once, exports what the database holds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trellis-install-'))
    const env = { TRELLIS_DATA_DIR: dataDir }
    // Every --dir counts (not only the last): three packages planned and applied together.
    const three = ['--dir', 'seeds/customer', '--dir', 'seeds/order', '--dir', 'seeds/service']
    const plan = trellis(['plan', ...three], env)
    expect(plan.code).toBe(0)
    for (const table of ['customer', 'product', 'ticket'])
      expect(plan.out).toContain(`create table for ${table}`)
    expect(trellis(['apply', ...three], env).out).toContain('Published metadata version 1.')

    // Adding a module: the installed packages stay exactly as they are.
    const hr = trellis(['install', 'seeds/hr-admin'], env)
    expect(hr.code).toBe(0)
    const versionOf = (id: string) =>
      JSON.parse(readFileSync(join('seeds', id, 'manifest.json'), 'utf8')).version as string
    expect(hr.out).toContain(`Package hr-admin: ${versionOf('hr-admin')} (install)`)
    expect(hr.out).toMatch(/^\+ package\s+hr-admin$/m)
    expect(hr.out).not.toMatch(/^[~!-] /m)
    expect(hr.out).toContain('Published metadata version 2.')

    // A change made through the drafts API: a new field and a new entity of the customer module.
    const db = await openDb({ dataDir })
    try {
      const ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger }
      const customer = (await loadPublishedMetadata(db)).entities.get('customer') as Entity
      const { version: _v, ...body } = customer
      const visitNote = { name: 'visitNote', type: 'text' as const, label: { en: 'Visit note' } }
      await saveDraft(ctx, 'entity', { ...body, fields: [...body.fields, visitNote] })
      const memo = { name: 'text', type: 'text', label }
      await saveDraft(ctx, 'entity', { id: 'memo', module: 'customer', label, fields: [memo] })
      await applyDrafts(ctx)
    } finally {
      await db.close()
    }

    const other = trellis(['plan', '--dir', 'seeds/order'], env)
    expect(other.out).toContain('No schema changes.')
    expect(other.out).toContain('No definition changes.')
    const order = versionOf('order')
    expect(other.out).toContain(`Package order: ${order} → ${order} (reinstall)`)

    const out = join(mkdtempSync(join(tmpdir(), 'trellis-export-')), 'instance')
    const exported = trellis(['export', out], env)
    expect(exported.code).toBe(0)
    const file = JSON.parse(
      readFileSync(join(out, 'customer', 'entities', 'customer.json'), 'utf8'),
    )
    expect(file.$schema).toMatch(/metadata\/schemas\/entity\.schema\.json$/)
    expect(file.fields.map((f: { name: string }) => f.name)).toContain('visitNote')
    expect(
      JSON.parse(readFileSync(join(out, 'customer', 'entities', 'memo.json'), 'utf8')).id,
    ).toBe('memo')
    expect(JSON.parse(readFileSync(join(out, 'order', 'manifest.json'), 'utf8')).id).toBe('order')

    const again = trellis(['plan', '--dir', out], env)
    expect(again.code).toBe(0)
    expect(again.out).toContain('No schema changes.')
    expect(again.out).toContain('No definition changes.')
  }, 600_000)
})

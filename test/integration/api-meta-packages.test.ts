import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] }
}
interface InstallBody {
  plan: { destructive: boolean; steps: { kind: string; entity: string }[] }
  changes: { kind: string; id: string; change: string }[]
  version: number
  applied: boolean
}

const label = (en: string) => ({ en })
const manifest = {
  id: 'field-service',
  version: '1.0.0',
  label: label('Field service'),
  dependencies: { sales: '^1.0.0' },
  navigation: ['visit'],
}
const visit = {
  id: 'visit',
  label: label('Visit'),
  titleField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: label('Subject'), required: true },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
  ],
}
const visitForm = {
  id: 'visit',
  entity: 'visit',
  label: label('Visit'),
  tabs: [
    { id: 'main', label: label('Main'), sections: [{ id: 's', fields: [{ field: 'subject' }] }] },
  ],
}

describe.each(testTargets())('installing a package over HTTP on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const install = (body: unknown, query = '', token = f.adminToken) =>
    f.call('POST', `/api/meta/packages${query}`, { token, body })
  const definition = (kind: string, id: string) =>
    f.call('GET', `/api/meta/${kind}/${id}`, { token: f.adminToken })

  it('refuses a caller who is not an administrator', async () => {
    const res = await install({ manifest, entities: [visit] }, '?apply=true', f.clerkToken)
    expect(res.status).toBe(403)
    expect((await definition('entities', 'visit')).status).toBe(404)
  })

  it('plans a new package without applying it, leaving the installed one alone', async () => {
    const res = await install({ manifest, entities: [visit], forms: [visitForm] })
    expect(res.status).toBe(200)
    const body = (await res.json()) as InstallBody
    expect(body.applied).toBe(false)
    expect(body.plan.steps).toContainEqual(
      expect.objectContaining({ kind: 'createTable', entity: 'visit' }),
    )
    expect(body.changes).toEqual([
      { kind: 'package', id: 'field-service', change: 'add' },
      { kind: 'entity', id: 'visit', change: 'add' },
      { kind: 'form', id: 'visit', change: 'add' },
    ])
    expect((await definition('entities', 'visit')).status).toBe(404)
  })

  it('installs it with apply=true; then an update drops only what the package no longer ships', async () => {
    const before = (await (await definition('entities', 'customer')).json()) as { version: number }
    const first = await install({ manifest, entities: [visit], forms: [visitForm] }, '?apply=true')
    expect(first.status).toBe(200)
    expect(((await first.json()) as InstallBody).applied).toBe(true)
    const live = (await (await definition('entities', 'visit')).json()) as { module: string }
    expect(live.module).toBe('field-service')
    const created = await f.call('POST', '/api/data/visit', {
      token: f.adminToken,
      body: { subject: 'First call' },
    })
    expect(created.status).toBe(201)

    const v2 = { ...manifest, version: '1.1.0' }
    const second = await install({ manifest: v2, entities: [visit] }, '?apply=true')
    expect(second.status).toBe(200)
    expect(((await second.json()) as InstallBody).changes).toEqual([
      { kind: 'package', id: 'field-service', change: 'change' },
      { kind: 'form', id: 'visit', change: 'remove' },
    ])
    expect((await definition('forms', 'visit')).status).toBe(404)
    const after = (await (await definition('entities', 'customer')).json()) as { version: number }
    expect(after.version).toBe(before.version)
    expect((await definition('forms', 'customer')).status).toBe(200)
  })

  it('refuses a package that ships a definition another package has installed', async () => {
    const customer = { id: 'customer', label: label('Customer'), fields: visit.fields.slice(0, 1) }
    const res = await install({ manifest, entities: [visit, customer] })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.details[0]).toMatchObject({ path: 'entities[customer]' })
    expect(body.error.details[0].message).toContain("package 'sales'")
  })

  it('names each bad part of a package body', async () => {
    const res = await install({
      manifest: { id: 'x', label: label('X') },
      entities: [{ ...visit, fields: [{ name: 'a', type: 'nope', label: label('A') }] }],
      widgets: [],
    })
    expect(res.status).toBe(400)
    const paths = ((await res.json()) as ErrorBody).error.details.map((d) => d.path)
    expect(paths).toContain('widgets')
    expect(paths).toContain('manifest.version')
    expect(paths.some((p) => p.startsWith('entities[0].fields[0]'))).toBe(true)
  })

  it('refuses a dependency that is not installed', async () => {
    const res = await install({
      manifest: { ...manifest, id: 'other', dependencies: { missing: '^1.0.0' } },
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.details[0].path).toBe('packages[other].dependencies.missing')
  })

  it('refuses a dependency installed in a version outside its range, and a range that is not one', async () => {
    const newer = await install({
      manifest: { ...manifest, dependencies: { sales: '^2.0.0' } },
      entities: [visit],
    })
    expect(newer.status).toBe(400)
    expect(((await newer.json()) as ErrorBody).error.details).toEqual([
      {
        path: 'packages[field-service].dependencies.sales',
        message: "package 'sales' is 1.0.0, outside '^2.0.0'",
      },
    ])
    const loose = await install({
      manifest: { ...manifest, dependencies: { sales: 'latest' } },
      entities: [visit],
    })
    expect(loose.status).toBe(400)
    const paths = ((await loose.json()) as ErrorBody).error.details.map((d) => d.path)
    expect(paths).toEqual(['manifest.dependencies.sales'])
  })

  it('refuses a package whose flow and alert name a role of a package it does not depend on', async () => {
    const finance = { id: 'finance', label: label('Finance'), grants: [] }
    const ledger = { manifest: { id: 'ledger', version: '1.0.0', label: label('Ledger') } }
    expect((await install({ ...ledger, roles: [finance] }, '?apply=true')).status).toBe(200)
    const claims = claimsPackage()
    const refused = await install(claims, '?apply=true')
    expect(refused.status).toBe(400)
    const details = ((await refused.json()) as ErrorBody).error.details
    expect(details.map((d) => d.path)).toEqual([
      'alerts[claimSubmitted].recipients[0].role',
      'flows[claimApproval].transitions[0].approval.steps[0].approvers[0].role',
    ])
    expect(details[1].message).toContain("no role 'finance' in package 'claims'")
    expect((await definition('entities', 'claim')).status).toBe(404)
    claims.manifest.dependencies = { ledger: '^1.0.0' }
    expect((await install(claims, '?apply=true')).status).toBe(200)
    expect((await definition('flows', 'claimApproval')).status).toBe(200)
  })
})

/** A package with an expense claim, its approval by the `finance` role and an alert to it. */
function claimsPackage() {
  const states = ['draft', 'submitted', 'approved', 'rejected']
  const claim = {
    id: 'claim',
    label: label('Claim'),
    titleField: 'title',
    fields: [
      { name: 'title', type: 'text', label: label('Title') },
      {
        name: 'status',
        type: 'select',
        label: label('Status'),
        options: states.map((value) => ({ value, label: label(value) })),
      },
    ],
  }
  const step = { id: 'finance', label: label('Finance'), approvers: [{ role: 'finance' }] }
  const submit = { id: 'submit', label: label('Submit'), from: ['draft'], to: 'approved' }
  const flow = {
    id: 'claimApproval',
    entity: 'claim',
    stateField: 'status',
    label: label('Claim approval'),
    states: [
      { id: 'draft', initial: true },
      { id: 'submitted' },
      { id: 'approved' },
      { id: 'rejected' },
    ],
    transitions: [
      { ...submit, approval: { pending: 'submitted', rejected: 'rejected', steps: [step] } },
    ],
  }
  const alert = {
    id: 'claimSubmitted',
    label: label('Claim submitted'),
    entity: 'claim',
    trigger: { type: 'created' },
    recipients: [{ type: 'role', role: 'finance' }],
    channels: [{ type: 'inApp' }],
    template: { en: { title: 'A new claim', body: 'To approve' } },
  }
  const manifest: { id: string; version: string; label: { en: string }; dependencies?: object } = {
    id: 'claims',
    version: '1.0.0',
    label: label('Claims'),
  }
  return { manifest, entities: [claim], flows: [flow], alerts: [alert] }
}

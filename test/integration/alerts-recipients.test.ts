import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert, AlertRecipient } from '../../metadata/alert'
import type { Entity } from '../../metadata/entity'
import { validateReferences } from '../../metadata/references'
import type { Role } from '../../metadata/role'
import { validateDefinition } from '../../metadata/validate'
import { buildRecipientQuery, type RecipientRow } from '../../runtime/alerts'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import { createOrgUser, createDepartment, updateDepartment } from '../../runtime/org'
import { createRecord } from '../../runtime/records'
import { publishMetadata } from '../../runtime/registry'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en })

const customer: Entity = {
  id: 'customer',
  label: label('Customer'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'owner', type: 'user', label: label('Owner') },
  ],
}

const ticket: Entity = {
  id: 'ticket',
  label: label('Ticket'),
  titleField: 'title',
  ownerField: 'assignee',
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true },
    { name: 'assignee', type: 'user', label: label('Assignee') },
    { name: 'reviewer', type: 'user', label: label('Reviewer') },
    { name: 'customer', type: 'reference', entity: 'customer', label: label('Customer') },
    { name: 'team', type: 'department', label: label('Team') },
    { name: 'contactEmail', type: 'email', label: label('Contact email') },
    { name: 'contactPhone', type: 'phone', label: label('Contact phone') },
  ],
}

const roles: Role[] = ['salesRep', 'support'].map((id) => ({ id, label: label(id), grants: [] }))

function alertTo(recipients: AlertRecipient[]): Alert {
  return {
    id: 'ticket-news',
    label: label('Ticket news'),
    entity: 'ticket',
    trigger: { type: 'updated' },
    recipients,
    channels: [{ type: 'inApp' }, { type: 'email' }],
    template: { en: { title: '{{record.title}}', body: 'changed' } },
  }
}

describe.each(testTargets())('alert recipients on $name', (target) => {
  let ctx: Ctx
  let close: () => Promise<void>
  const id: Record<string, string> = {}
  let record: Record<string, unknown>

  /** Who the query answers for `recipients` over `rec`: usernames with `via`, then contacts. */
  async function resolve(recipients: AlertRecipient[], rec = record): Promise<string[]> {
    const alert = alertTo(recipients)
    // The alert is a valid definition: the query is only ever built for those.
    expect(validateDefinition('alert', alert)).toEqual([])
    expect(
      validateReferences({
        packages: [],
        entities: [customer, ticket],
        forms: [],
        views: [],
        roles,
        alerts: [alert],
      }),
    ).toEqual([])
    const rows = await ctx.db.query<RecipientRow>(buildRecipientQuery(ctx, alert, rec))
    const names = new Map(Object.entries(id).map(([name, uid]) => [uid, name]))
    return rows
      .map((r) =>
        r.user_id
          ? `${names.get(r.user_id)}<${r.email ?? ''}>:${r.locale}:${r.via}`
          : `contact<${r.email ?? ''}|${r.phone ?? ''}>`,
      )
      .sort()
  }

  beforeAll(async () => {
    const opened = await target.open()
    close = opened.close
    const base = {
      db: opened.db,
      user: SYSTEM_USER,
      clock: fixedClock('2026-03-02T00:00:00Z'),
      log: silentLogger,
    }
    const { meta } = await publishMetadata(base, {
      packages: [],
      entities: [customer, ticket],
      forms: [],
      views: [],
      roles,
    })
    ctx = { ...base, meta }
    const company = await createDepartment(ctx, { name: 'Acme', kind: 'company' })
    const sales = await createDepartment(ctx, { name: 'Sales', parentId: company.id })
    const service = await createDepartment(ctx, { name: 'Service', parentId: company.id })
    const person = async (username: string, extra: Record<string, unknown> = {}) => {
      const user = await createOrgUser(
        ctx,
        {
          username,
          password: 'pw',
          displayName: username,
          email: `${username}@acme.test`,
          ...extra,
        },
        { allowWeakPassword: true },
      )
      id[username] = user.id
    }
    await person('director', { departmentId: company.id, locale: 'zh-CN' })
    await person('head', { departmentId: sales.id, managerId: id.director, locale: 'ko' })
    await person('rep', { departmentId: sales.id, managerId: id.head, roles: ['salesRep'] })
    await person('gone', { departmentId: sales.id, roles: ['salesRep'], disabled: true })
    await person('agent', { departmentId: service.id, roles: ['support'] })
    await person('keeper', { departmentId: sales.id })
    await updateDepartment(ctx, sales.id, { headUserId: id.head })
    await updateDepartment(ctx, service.id, { headUserId: id.agent })
    const owned = await createRecord(ctx, 'customer', { name: 'Lotus', owner: id.keeper })
    record = {
      id: '6f1c3a52-0000-4000-8000-000000000001',
      title: 'Printer jam',
      assignee: id.rep,
      reviewer: 'not-a-uuid',
      customer: owned.record.id,
      team: service.id,
      contactEmail: 'buyer@lotus.test',
      contactPhone: '+86 138 0000 0000',
      createdBy: id.agent,
    }
  })
  afterAll(() => close?.())

  it('resolves the owner and the managers above them up to the levels asked', async () => {
    expect(await resolve([{ type: 'owner' }])).toEqual(['rep<rep@acme.test>:en:owner'])
    expect(await resolve([{ type: 'ownerManager' }])).toEqual([
      'head<head@acme.test>:ko:ownerManager',
    ])
    expect(await resolve([{ type: 'ownerManager', levels: 3 }])).toEqual([
      'director<director@acme.test>:zh-CN:ownerManager',
      'head<head@acme.test>:ko:ownerManager',
    ])
  })

  it('resolves role members who are not disabled, and named users by any case', async () => {
    expect(await resolve([{ type: 'role', role: 'salesRep' }])).toEqual([
      'rep<rep@acme.test>:en:role',
    ])
    expect(await resolve([{ type: 'users', usernames: ['DIRECTOR', 'gone', 'nobody'] }])).toEqual([
      'director<director@acme.test>:zh-CN:users',
    ])
  })

  it('resolves a user field, a user field of a referenced record, and ignores a malformed one', async () => {
    expect(await resolve([{ type: 'field', field: 'customer.owner' }])).toEqual([
      'keeper<keeper@acme.test>:en:field',
    ])
    expect(
      await resolve([
        { type: 'field', field: 'assignee' },
        { type: 'field', field: 'reviewer' },
      ]),
    ).toEqual(['rep<rep@acme.test>:en:field'])
  })

  it("resolves the head of a department field, else of the owner's department", async () => {
    expect(await resolve([{ type: 'departmentHead', field: 'team' }])).toEqual([
      'agent<agent@acme.test>:en:departmentHead',
    ])
    expect(await resolve([{ type: 'departmentHead' }])).toEqual([
      'head<head@acme.test>:ko:departmentHead',
    ])
  })

  it('names each user once with every reason, and adds the contact address', async () => {
    const all = await resolve([
      { type: 'owner' },
      { type: 'role', role: 'salesRep' },
      { type: 'ownerManager' },
      { type: 'departmentHead' },
      { type: 'contact', emailField: 'contactEmail', phoneField: 'contactPhone' },
    ])
    expect(all).toEqual([
      'contact<buyer@lotus.test|+86 138 0000 0000>',
      'head<head@acme.test>:ko:departmentHead,ownerManager',
      'rep<rep@acme.test>:en:owner,role',
    ])
  })

  it('falls back to nobody when the record has no owner or contact, and to createdBy without an owner field', async () => {
    const orphan = { ...record, assignee: null, contactEmail: ' ', contactPhone: null }
    expect(
      await resolve(
        [
          { type: 'owner' },
          { type: 'ownerManager' },
          { type: 'contact', emailField: 'contactEmail' },
        ],
        orphan,
      ),
    ).toEqual([])
    const bare = { ...ctx.meta.entities.get('ticket')!, ownerField: undefined }
    const meta = { ...ctx.meta, entities: new Map([...ctx.meta.entities, ['ticket', bare]]) }
    const rows = await ctx.db.query<RecipientRow>(
      buildRecipientQuery({ meta }, alertTo([{ type: 'owner' }]), record),
    )
    expect(rows.map((r) => r.user_id)).toEqual([id.agent])
  })
})

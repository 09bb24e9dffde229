import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import type { CreateEffect, Flow } from '../../metadata/flow'
import type { Role } from '../../metadata/role'
import { SYSTEM_USER, silentLogger } from '../../runtime/context'
import { applyApprovalEvent, fireTransition } from '../../runtime/flows'
import { createMetadataCache, type MetadataBundle } from '../../runtime/registry'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'
import { movableClock } from './sharing-fixture'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })

const lead: Entity = {
  id: 'lead',
  module: 'crm',
  label: label('Lead'),
  titleField: 'name',
  ownerField: 'owner',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      default: 'new',
      options: ['new', 'review', 'converted'].map((value) => ({ value, label: label(value) })),
    },
    { name: 'owner', type: 'user', label: label('Owner') },
    { name: 'account', type: 'reference', entity: 'account', label: label('Account') },
  ],
}

// No owner field: the 'own' scope reads created_by, so who is named there decides who sees it.
const account: Entity = {
  id: 'account',
  module: 'crm',
  label: label('Account'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Name'), required: true },
    { name: 'source', type: 'text', label: label('Source') },
  ],
}

const toAccount: CreateEffect = {
  type: 'create',
  params: {
    entity: 'account',
    as: 'account',
    values: { name: { var: 'name' }, source: 'lead' },
    linkBack: 'account',
  },
}

const leadFlow: Flow = {
  id: 'leadFlow',
  module: 'crm',
  label: label('Lead'),
  entity: 'lead',
  stateField: 'status',
  states: [{ id: 'new', initial: true }, { id: 'review' }, { id: 'converted', final: true }],
  transitions: [
    {
      id: 'convert',
      label: label('Convert'),
      from: ['new'],
      to: 'converted',
      effects: [toAccount],
    },
    {
      id: 'convertApproved',
      label: label('Convert after approval'),
      from: ['new'],
      to: 'converted',
      effects: [toAccount],
      approval: {
        pending: 'review',
        rejected: 'new',
        steps: [{ id: 'boss', label: label('Admin'), approvers: [{ user: 'admin' }] }],
      },
    },
    {
      id: 'convertUnlessObjected',
      label: label('Convert unless the admin objects within a day'),
      from: ['new'],
      to: 'converted',
      effects: [toAccount],
      approval: {
        pending: 'review',
        rejected: 'new',
        steps: [
          {
            id: 'quiet',
            label: label('Admin'),
            approvers: [{ user: 'admin' }],
            timeout: { after: { days: 1 }, action: 'approve' },
          },
        ],
      },
    },
  ],
}

// The clerk converts their leads but may not create accounts; they read the accounts they made.
const clerk: Role = {
  id: 'clerk',
  label: label('Clerk'),
  grants: [
    {
      entity: 'lead',
      scopes: { read: 'own', create: 'all', update: 'own', transition: 'own' },
    },
    { entity: 'account', scopes: { read: 'own' } },
  ],
}

const BUNDLE: MetadataBundle = {
  packages: [{ id: 'crm', version: '1.0.0', label: label('CRM'), navigation: ['lead'] }],
  entities: [lead, account],
  forms: [],
  views: [],
  roles: [clerk],
  flows: [leadFlow],
}

describe.each(testTargets())(
  'Records a transition creates name who fired it on $name',
  (target) => {
    let f: AppFixture
    let clerkId: string
    const clock = movableClock('2026-03-02T09:00:00.000Z')
    beforeAll(async () => {
      f = await openAppFixture(target, { bundle: BUNDLE, clock })
      const [row] = await f.db.query<{ id: string }>(
        sql`select id::text as id from users where username = 'clerk'`,
      )
      clerkId = row!.id
    })
    afterAll(() => f?.close())

    async function newLead(name: string): Promise<{ id: string; version: number }> {
      const res = await f.call('POST', '/api/data/lead', { token: f.clerkToken, body: { name } })
      expect(res.status).toBe(201)
      return (await res.json()) as { id: string; version: number }
    }

    const authorOf = async (id: string) => {
      const [row] = await f.db.query<{ created_by: string; user_id: string; action: string }>(sql`
      select a.created_by::text, l.user_id::text, l.action from app.account a
      join audit_log l on l.entity = 'account' and l.record_id = a.id
      where a.id = ${id}::uuid`)
      return row
    }

    it('writes the account a clerk converts a lead into as the clerk: created by, history, own scope', async () => {
      const { id, version } = await newLead('Acme')
      const res = await f.call('POST', `/api/data/lead/${id}/transitions/convert`, {
        token: f.clerkToken,
        body: { version },
      })
      expect(res.status).toBe(200)
      const accountId = ((await res.json()) as { record: { account: string } }).record.account
      expect(accountId).toMatch(/^[0-9a-f-]{36}$/)
      expect(await authorOf(accountId)).toEqual({
        created_by: clerkId,
        user_id: clerkId,
        action: 'created',
      })

      // Read through the clerk's own scope, which only created_by can grant here.
      const read = await f.call('GET', `/api/data/account/${accountId}`, { token: f.clerkToken })
      expect(read.status).toBe(200)
      expect(await read.json()).toMatchObject({ name: 'Acme', source: 'lead', createdBy: clerkId })
      const history = await f.call('GET', `/api/data/account/${accountId}/history`, {
        token: f.clerkToken,
      })
      expect(history.status).toBe(200)
      const entries = ((await history.json()) as { data: { userId: string; userName: string }[] })
        .data
      expect(entries.at(-1)).toMatchObject({ userId: clerkId, userName: 'Clerk' })
    })

    it('writes the account of an approved conversion as the clerk who asked, not the approver', async () => {
      const { id, version } = await newLead('Initech')
      const fired = await f.call('POST', `/api/data/lead/${id}/transitions/convertApproved`, {
        token: f.clerkToken,
        body: { version },
      })
      expect(fired.status).toBe(200)
      const [task] = await f.db.query<{ id: string }>(
        sql`select id::text as id from approval_tasks where record_id = ${id}::uuid`,
      )
      const approved = await f.call('POST', `/api/tasks/${task!.id}/approve`, {
        token: f.adminToken,
      })
      expect(approved.status).toBe(200)
      const [lead] = await f.db.query<{ account: string; status: string }>(
        sql`select account::text, status from app.lead where id = ${id}::uuid`,
      )
      expect(lead!.status).toBe('converted')
      expect(await authorOf(lead!.account)).toEqual({
        created_by: clerkId,
        user_id: clerkId,
        action: 'created',
      })
      // The lead's own move is the approver's write.
      const [move] = await f.db.query<{ name: string }>(sql`select u.username as name
      from audit_log a join users u on u.id = a.user_id
      where a.entity = 'lead' and a.record_id = ${id}::uuid order by a.version desc limit 1`)
      expect(move!.name).toBe('admin')
    })

    it('writes the account of a conversion a timeout approved as the clerk who asked', async () => {
      const { id, version } = await newLead('Umbrella')
      const fired = await f.call('POST', `/api/data/lead/${id}/transitions/convertUnlessObjected`, {
        token: f.clerkToken,
        body: { version },
      })
      expect(fired.status).toBe(200)
      const [instance] = await f.db.query<{ id: string }>(
        sql`select id::text as id from flow_instances where record_id = ${id}::uuid`,
      )
      // The timer's own step: the timeout falls due and the system applies it.
      const meta = await createMetadataCache(f.db).current()
      const ctx = { db: f.db, user: SYSTEM_USER, clock, log: silentLogger, meta }
      const timeout = { type: 'timeout', task: 't1', actor: SYSTEM_USER.id } as const
      const { record } = await applyApprovalEvent(ctx, instance!.id, timeout)
      expect(record.status).toBe('converted')
      expect(await authorOf(record.account as string)).toEqual({
        created_by: clerkId,
        user_id: clerkId,
        action: 'created',
      })
    })

    it('keeps the clerk from creating an account directly (the transition is the licence)', async () => {
      const res = await f.call('POST', '/api/data/account', {
        token: f.clerkToken,
        body: { name: 'Direct' },
      })
      expect(res.status).toBe(403)
    })

    it('writes as the system when automation fires the transition', async () => {
      const { id, version } = await newLead('Globex')
      const meta = await createMetadataCache(f.db).current()
      const ctx = { db: f.db, user: SYSTEM_USER, clock, log: silentLogger, meta }
      const { record } = await fireTransition(ctx, 'lead', id, 'convert', { version })
      const accountId = record.account as string
      expect(await authorOf(accountId)).toEqual({
        created_by: SYSTEM_USER.id,
        user_id: SYSTEM_USER.id,
        action: 'created',
      })
      const read = await f.call('GET', `/api/data/account/${accountId}`, { token: f.clerkToken })
      expect(read.status).toBe(404)
    })
  },
)

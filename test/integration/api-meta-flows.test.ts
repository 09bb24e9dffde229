import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] }
}

const label = (en: string) => ({ en })
const ticket = {
  id: 'ticket',
  label: label('Ticket'),
  fields: [
    { name: 'subject', type: 'text', label: label('Subject') },
    { name: 'reason', type: 'longText', label: label('Reason') },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      default: 'open',
      options: ['open', 'closed'].map((value) => ({ value, label: label(value) })),
    },
  ],
}
const flow = {
  id: 'ticket-flow',
  label: label('Ticket flow'),
  entity: 'ticket',
  stateField: 'status',
  states: [
    { id: 'open', initial: true },
    { id: 'closed', final: true },
  ],
  transitions: [
    { id: 'close', label: label('Close'), from: ['open'], to: 'closed', requires: ['reason'] },
  ],
}

describe.each(testTargets())('flows over the metadata API on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const call = (method: string, path: string, body?: unknown) =>
    f.call(method, path, { token: f.adminToken, body })
  const details = async (res: Response) => ((await res.json()) as ErrorBody).error.details

  it('refuses a draft flow that breaks its own rules, naming the path', async () => {
    const bad = { ...flow, states: [{ id: 'open' }, { id: 'closed', final: true }] }
    const res = await call('PUT', '/api/meta/flows/ticket-flow', bad)
    expect(res.status).toBe(400)
    expect(await details(res)).toEqual([
      { path: 'states', message: 'needs exactly one initial state' },
    ])
  })

  it('refuses to publish a flow whose fields the entity lacks, then publishes it fixed', async () => {
    expect((await call('PUT', '/api/meta/entities/ticket', ticket)).status).toBe(200)
    const wrong = { ...flow, transitions: [{ ...flow.transitions[0], requires: ['cause'] }] }
    expect((await call('PUT', '/api/meta/flows/ticket-flow', wrong)).status).toBe(200)
    const refused = await call('POST', '/api/meta/apply')
    expect(refused.status).toBe(400)
    expect(await details(refused)).toEqual([
      {
        path: 'flows[ticket-flow].transitions[0].requires[0]',
        message: "no field 'cause' in entity 'ticket'",
      },
    ])
    expect((await call('GET', '/api/meta/flows/ticket-flow')).status).toBe(404)

    expect((await call('PUT', '/api/meta/flows/ticket-flow', flow)).status).toBe(200)
    expect((await call('POST', '/api/meta/apply')).status).toBe(200)
    const listed = await f.call('GET', '/api/meta/flows?entity=ticket', { token: f.clerkToken })
    expect(await listed.json()).toEqual({
      data: [
        {
          id: 'ticket-flow',
          label: label('Ticket flow'),
          version: 1,
          entity: 'ticket',
          stateField: 'status',
          states: ['open', 'closed'],
          transitions: ['close'],
          approvals: [],
        },
      ],
    })
    const one = await f.call('GET', '/api/meta/flows/ticket-flow', { token: f.clerkToken })
    expect(await one.json()).toMatchObject({ ...flow, version: 1 })
  })

  it('refuses a package that ships a second flow for an entity', async () => {
    const res = await call('POST', '/api/meta/packages?apply=true', {
      manifest: { id: 'desk', version: '1.0.0', label: label('Desk') },
      flows: [{ ...flow, id: 'desk-flow' }],
    })
    expect(res.status).toBe(400)
    expect(await details(res)).toEqual([
      { path: 'flows[desk-flow].entity', message: "'ticket' already has flow 'ticket-flow'" },
    ])
  })

  it('names the index of a bad flow in a package body', async () => {
    const res = await call('POST', '/api/meta/packages', {
      manifest: { id: 'desk', version: '1.0.0', label: label('Desk') },
      flows: [{ ...flow, id: 'desk-flow', transitions: [{ ...flow.transitions[0], to: 'done' }] }],
    })
    expect(res.status).toBe(400)
    expect(await details(res)).toEqual([
      { path: 'flows[0].transitions[0].to', message: "no state 'done' in the flow" },
    ])
  })
})

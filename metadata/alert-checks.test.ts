import { describe, expect, it } from 'vitest'
import type { Alert } from './alert'
import { validateReferences } from './references'
import type { Role } from './role'
import { validBundle } from './test-fixtures'
import { validateDefinition } from './validate'

/** A valid alert on the fixture customer, with `change` applied. */
function alertWith(change: (alert: Alert) => void = () => {}): Alert {
  const alert: Alert = {
    id: 'customer-since',
    label: { en: 'Customer anniversary' },
    entity: 'customer',
    trigger: { type: 'dateOffset', field: 'since', offset: { days: -3 }, at: '09:30' },
    condition: { '==': [{ var: 'record.active' }, true] },
    recipients: [{ type: 'owner' }, { type: 'ownerManager', levels: 2 }],
    channels: [{ type: 'inApp' }, { type: 'email' }],
    template: {
      en: { title: '{{record.name}} soon', body: 'Hello {{#if record.email}}x{{/if}}' },
      'zh-CN': { title: '{{record.name}}', body: '你好' },
    },
  }
  change(alert)
  return alert
}

const check = (alert: unknown) => validateDefinition('alert', alert)

/** Reference issues of one alert in the fixture bundle (with one role, `salesRep`). */
function referencesOf(alert: Alert) {
  const roles: Role[] = [{ id: 'salesRep', label: { en: 'Rep' }, grants: [] }]
  return validateReferences({ ...validBundle(), roles, alerts: [alert] })
}

describe('the alert schema', () => {
  it('accepts a full alert and every trigger, recipient, channel and action type', () => {
    expect(check(alertWith())).toEqual([])
    const full = alertWith((a) => {
      a.recipients = [
        { type: 'field', field: 'owner' },
        { type: 'role', role: 'salesRep' },
        { type: 'departmentHead', field: 'department' },
        { type: 'departmentMembers', field: 'department', includeSubDepartments: true },
        { type: 'users', usernames: ['director'] },
        { type: 'contact', emailField: 'email', phoneField: 'phone' },
      ]
      a.channels = [
        { type: 'inApp' },
        { type: 'email' },
        { type: 'webhook', url: 'https://hooks.example.test/in', secretEnv: 'CRM_HOOK_SECRET' },
        { type: 'sms', optOutField: 'active' },
        { type: 'chat', provider: 'wecom', webhookEnv: 'WECOM_BOT_URL' },
      ]
      a.throttle = { perRecipientMinutes: 60 }
      a.actions = [
        { type: 'setField', field: 'notes', value: { cat: ['reminded ', { var: 'record.name' }] } },
        { type: 'createRecord', entity: 'followUp', values: { customer: { var: 'record.id' } } },
      ]
    })
    expect(check(full)).toEqual([])
    expect(referencesOf(full)).toEqual([])
    for (const trigger of [
      { type: 'created' },
      { type: 'updated' },
      { type: 'deleted' },
      { type: 'fieldChanged', field: 'level', from: 'b', to: 'a' },
      { type: 'transition', flow: 'customerFlow', to: 'active', action: 'activate' },
      { type: 'sla', milestone: 'breach', target: 'resolution' },
    ] as const) {
      expect(check(alertWith((a) => (a.trigger = trigger))), trigger.type).toEqual([])
    }
  })

  it('rejects unknown properties and malformed parts at their paths', () => {
    const bad = alertWith((a) => {
      Object.assign(a, { spec: {} })
      a.trigger = { type: 'dateOffset', field: 'since', at: '9:00' }
    })
    expect(check(bad).map((i) => i.path)).toEqual(['spec', 'trigger.at'])
    expect(
      check(
        alertWith(
          (a) => (a.channels = [{ type: 'chat', provider: 'slack' as 'wecom', webhookEnv: 'X' }]),
        ),
      ),
    ).toEqual([{ path: 'channels[0].provider', message: expect.stringContaining('must be') }])
    expect(
      check(
        alertWith(
          (a) => (a.channels = [{ type: 'webhook', url: 'https://x.test', secretEnv: 's3cr3t' }]),
        ),
      ),
    ).toEqual([{ path: 'channels[0].secretEnv', message: expect.stringContaining('pattern') }])
  })

  it('needs an English template and at least one channel', () => {
    const noEnglish = alertWith((a) => (a.template = { ko: { title: 't', body: 'b' } } as never))
    expect(check(noEnglish)).toContainEqual({ path: 'template.en', message: 'is required' })
    expect(check(alertWith((a) => (a.channels = [])))).toContainEqual({
      path: 'channels',
      message: expect.stringContaining('fewer than 1'),
    })
  })
})

describe('validateAlert', () => {
  it('needs an entity for record triggers and record recipients, not for a pure schedule', () => {
    const unbound = alertWith((a) => delete a.entity)
    expect(check(unbound).map((i) => i.path)).toEqual(['entity', 'recipients[0]', 'recipients[1]'])
    const schedule = alertWith((a) => {
      delete a.entity
      a.trigger = { type: 'schedule', cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul' }
      a.condition = { '==': [{ var: '$user.id' }, null] }
      a.recipients = [{ type: 'role', role: 'salesRep' }]
    })
    expect(check(schedule)).toEqual([])
  })

  it('parses the cron and knows the time zone of a schedule', () => {
    const schedule = (cron: string, timeZone: string) =>
      check(
        alertWith((a) => {
          a.trigger = { type: 'schedule', cron, timeZone }
        }),
      )
    expect(schedule('0 9 * *', 'UTC')).toEqual([
      { path: 'trigger.cron', message: expect.stringContaining('five fields') },
    ])
    expect(schedule('0 25 * * *', 'UTC')).toEqual([
      { path: 'trigger.cron', message: expect.stringContaining('not a cron expression') },
    ])
    expect(schedule('0 9 31 2 *', 'UTC')).toEqual([{ path: 'trigger.cron', message: 'never runs' }])
    expect(schedule('0 9 * * *', 'Mars/Olympus')).toEqual([
      { path: 'trigger.timeZone', message: "'Mars/Olympus' is not an IANA time zone" },
    ])
  })

  it('parses every template text without running it and names the broken one', () => {
    const broken = alertWith((a) => (a.template['zh-CN'] = { title: 'ok', body: '{{#each x}}' }))
    expect(check(broken)).toEqual([
      { path: 'template["zh-CN"].body', message: expect.stringContaining('not a template') },
    ])
  })

  it('refuses channels with nobody to reach, repeated channels and pointless triggers', () => {
    const nobody = alertWith((a) => {
      a.recipients = [{ type: 'contact', emailField: 'email' }]
      a.channels = [{ type: 'inApp' }, { type: 'sms' }, { type: 'inApp' }]
    })
    expect(check(nobody).map((i) => i.path)).toEqual([
      'channels[2].type',
      'channels[0]',
      'channels[1]',
      'channels[2]',
    ])
    const same = alertWith(
      (a) => (a.trigger = { type: 'fieldChanged', field: 'level', from: 'a', to: 'a' }),
    )
    expect(check(same)).toEqual([{ path: 'trigger.to', message: expect.stringContaining('never') }])
    const contact = alertWith((a) => (a.recipients = [{ type: 'owner' }, { type: 'contact' }]))
    expect(check(contact)).toEqual([
      { path: 'recipients[1]', message: 'a contact needs an emailField or a phoneField' },
    ])
  })

  it('keeps rules within the limits and while with repeats', () => {
    let deep: unknown = true
    for (let i = 0; i < 40; i++) deep = { '!': [deep] }
    expect(check(alertWith((a) => (a.condition = deep as never))).map((i) => i.path)).toEqual([
      'condition',
    ])
    const whileOnly = alertWith(
      (a) => (a.trigger = { type: 'dateOffset', field: 'since', while: true }),
    )
    expect(check(whileOnly)).toEqual([
      { path: 'trigger.while', message: 'is used only with repeatEveryDays or repeatYearly' },
    ])
    const yearly = alertWith(
      (a) => (a.trigger = { type: 'dateOffset', field: 'since', repeatYearly: true, while: true }),
    )
    expect(check(yearly)).toEqual([])
    const both = alertWith(
      (a) =>
        (a.trigger = {
          type: 'dateOffset',
          field: 'since',
          repeatYearly: true,
          repeatEveryDays: 7,
        }),
    )
    expect(check(both)).toEqual([
      { path: 'trigger.repeatYearly', message: 'choose repeatYearly or repeatEveryDays' },
    ])
  })

  it('sets no field when there is no record to set', () => {
    const onDelete = alertWith((a) => {
      a.trigger = { type: 'deleted' }
      a.actions = [{ type: 'setField', field: 'notes', value: 'x' }]
    })
    expect(check(onDelete)).toEqual([
      { path: 'actions[0]', message: "a 'deleted' alert has no record to set" },
    ])
  })
})

describe('alert references', () => {
  const paths = (alert: Alert) => referencesOf(alert).map((i) => `${i.path}: ${i.message}`)

  it('names an unknown entity and stops there', () => {
    expect(paths(alertWith((a) => (a.entity = 'client')))).toEqual([
      "alerts[customer-since].entity: no entity 'client'",
    ])
  })

  it('needs a date or datetime field for a date offset and a real field for a change', () => {
    const onText = alertWith((a) => (a.trigger = { type: 'dateOffset', field: 'name' }))
    expect(paths(onText)).toEqual([
      "alerts[customer-since].trigger.field: 'customer.name' is a text field, not date or datetime",
    ])
    const onDatetime = alertWith(
      (a) => (a.trigger = { type: 'dateOffset', field: 'lastContactAt' }),
    )
    expect(paths(onDatetime)).toEqual([])
    const missing = alertWith((a) => (a.trigger = { type: 'fieldChanged', field: 'stage' }))
    expect(paths(missing)).toEqual([
      "alerts[customer-since].trigger.field: no field 'stage' in entity 'customer'",
    ])
  })

  it('checks the type of every recipient field and that roles exist', () => {
    const wrong = alertWith((a) => {
      a.recipients = [
        { type: 'field', field: 'name' },
        { type: 'field', field: 'parent.owner' },
        { type: 'field', field: 'parent.email' },
        { type: 'role', role: 'ghost' },
        { type: 'departmentHead', field: 'owner' },
        { type: 'contact', emailField: 'phone', phoneField: 'email' },
        { type: 'departmentMembers', field: 'name' },
      ]
    })
    expect(paths(wrong).map((p) => p.replace('alerts[customer-since].', ''))).toEqual([
      "recipients[0].field: 'customer.name' is a text field, not user",
      "recipients[2].field: 'customer.email' is a email field, not user",
      "recipients[3].role: no role 'ghost'",
      "recipients[4].field: 'customer.owner' is a user field, not department",
      "recipients[5].emailField: 'customer.phone' is a phone field, not email",
      "recipients[5].phoneField: 'customer.email' is a email field, not phone",
      "recipients[6].field: 'customer.name' is a text field, not department",
    ])
  })

  it('reads only record, previous and $user in rules, and writes only writable fields', () => {
    const bad = alertWith((a) => {
      a.condition = { and: [{ var: 'amount' }, { var: 'record.amount' }, { var: 'previous.name' }] }
      a.channels = [{ type: 'inApp' }, { type: 'sms', optOutField: 'name' }]
      a.recipients = [{ type: 'owner' }, { type: 'contact', phoneField: 'phone' }]
      a.actions = [
        { type: 'setField', field: 'code', value: 'x' },
        { type: 'createRecord', entity: 'followUp', values: { subject: 'x' } },
        { type: 'createRecord', entity: 'task', values: { title: 'x' } },
      ]
    })
    expect(paths(bad).map((p) => p.replace('alerts[customer-since].', ''))).toEqual([
      "condition: reads 'amount': use record.amount, previous.… or $user.…",
      "condition: no field 'amount' in entity 'customer'",
      "channels[1].optOutField: 'customer.name' is a text field, not boolean",
      'actions[0].field: a autoNumber field cannot be set',
      "actions[1].values.subject: no writable field 'subject' in entity 'followUp'",
      "actions[2].entity: no entity 'task'",
    ])
  })

  it('refuses two alerts with one id', () => {
    const issues = validateReferences({ ...validBundle(), alerts: [alertWith(), alertWith()] })
    expect(issues).toContainEqual({
      path: 'alerts[customer-since].id',
      message: "id 'customer-since' is used by 2 alerts",
    })
  })
})

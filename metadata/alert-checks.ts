import { Cron } from 'croner'
import Handlebars from 'handlebars'
import { RECORD_TRIGGER_TYPES, type Alert, type ScheduleTrigger } from './alert'
import { validateUnique } from './duplicates'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { validateRuleSize } from './rule-limits'

/** Recipient types that read the record, so the alert needs an entity. */
const RECORD_RECIPIENTS = new Set([
  'owner',
  'ownerManager',
  'field',
  'departmentHead',
  'departmentMembers',
  'contact',
])

// A fixed start keeps the "does it ever run" check pure (no clock) and repeatable.
const CRON_PROBE_START = new Date('2000-01-01T00:00:00Z')

/** Whether `zone` is an IANA time zone this runtime knows (Intl refuses unknown names). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function validateSchedule(trigger: ScheduleTrigger): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const zoneOk = isTimeZone(trigger.timeZone)
  if (!zoneOk) {
    issues.push(toIssue('trigger.timeZone', `'${trigger.timeZone}' is not an IANA time zone`))
  }
  const parts = trigger.cron.trim().split(/\s+/)
  if (parts.length !== 5) {
    issues.push(
      toIssue('trigger.cron', 'needs five fields: minute hour day-of-month month day-of-week'),
    )
    return issues
  }
  try {
    const cron = new Cron(trigger.cron, {
      timezone: zoneOk ? trigger.timeZone : 'UTC',
      paused: true,
    })
    if (!cron.nextRun(CRON_PROBE_START)) issues.push(toIssue('trigger.cron', 'never runs'))
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^CronPattern: /, '') : ''
    issues.push(toIssue('trigger.cron', `'${trigger.cron}' is not a cron expression: ${reason}`))
  }
  return issues
}

function validateTrigger(alert: Alert): MetadataIssue[] {
  const { trigger } = alert
  const issues: MetadataIssue[] = []
  if (!alert.entity && (RECORD_TRIGGER_TYPES as readonly string[]).includes(trigger.type)) {
    issues.push(toIssue('entity', `a '${trigger.type}' trigger needs an entity`))
  }
  if (trigger.type === 'schedule') issues.push(...validateSchedule(trigger))
  if (trigger.type === 'fieldChanged' && 'from' in trigger && 'to' in trigger) {
    if (trigger.from === trigger.to)
      issues.push(toIssue('trigger.to', 'equals from: the value never changes that way'))
  }
  if (trigger.type === 'dateOffset') {
    if (trigger.repeatYearly && trigger.repeatEveryDays !== undefined)
      issues.push(toIssue('trigger.repeatYearly', 'choose repeatYearly or repeatEveryDays'))
    if (trigger.while !== undefined) {
      if (trigger.repeatEveryDays === undefined && !trigger.repeatYearly)
        issues.push(toIssue('trigger.while', 'is used only with repeatEveryDays or repeatYearly'))
      issues.push(...validateRuleSize(trigger.while, 'trigger.while'))
    }
  }
  return issues
}

/** Parses (never runs) each handlebars text of the template, so a typo fails at save time. */
function validateTemplates(alert: Alert): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  for (const [locale, message] of Object.entries(alert.template)) {
    if (!message) continue
    for (const [part, text] of Object.entries(message)) {
      if (typeof text !== 'string') continue
      try {
        Handlebars.parse(text)
      } catch (err) {
        // Handlebars answers "Parse error on line N:", the text, a caret, "Expecting …".
        const lines = err instanceof Error ? err.message.split('\n') : ['cannot be parsed']
        const reason = [lines[0], lines.length > 1 ? lines.at(-1) : ''].join(' ').trim()
        issues.push(toIssue(`${joinPath('template', locale)}.${part}`, `not a template: ${reason}`))
      }
    }
  }
  return issues
}

/** Channels that speak to people need someone to speak to. */
function validateChannels(alert: Alert): MetadataIssue[] {
  const recipients = alert.recipients ?? []
  const userRecipients = recipients.filter((r) => r.type !== 'contact')
  const contactWith = (key: 'emailField' | 'phoneField') =>
    recipients.some((r) => r.type === 'contact' && r[key] !== undefined)
  // Webhooks and chat bots may repeat (several receivers); the others would send twice.
  const issues = validateUnique(
    alert.channels,
    (c) => (c.type === 'webhook' || c.type === 'chat' ? `${c.type}:${JSON.stringify(c)}` : c.type),
    (i) => `channels[${i}].type`,
    'channel',
  )
  alert.channels.forEach((channel, i) => {
    const at = `channels[${i}]`
    if (channel.type === 'inApp' && userRecipients.length === 0)
      issues.push(toIssue(at, 'in-app notifications need a recipient who is a user'))
    if (channel.type === 'email' && userRecipients.length === 0 && !contactWith('emailField'))
      issues.push(toIssue(at, 'email needs a user recipient or a contact with an emailField'))
    if (channel.type === 'sms' && !contactWith('phoneField'))
      issues.push(toIssue(at, 'sms needs a contact recipient with a phoneField'))
    if (channel.type === 'sms' && channel.optOutField && !alert.entity)
      issues.push(toIssue(`${at}.optOutField`, 'needs an entity'))
  })
  return issues
}

function validateRecipients(alert: Alert): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  alert.recipients?.forEach((recipient, i) => {
    if (!alert.entity && RECORD_RECIPIENTS.has(recipient.type))
      issues.push(toIssue(`recipients[${i}]`, `'${recipient.type}' needs an entity`))
    if (recipient.type === 'contact' && !recipient.emailField && !recipient.phoneField)
      issues.push(toIssue(`recipients[${i}]`, 'a contact needs an emailField or a phoneField'))
  })
  return issues
}

function validateActions(alert: Alert): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  alert.actions?.forEach((action, i) => {
    const at = `actions[${i}]`
    if (action.type === 'setField') {
      if (!alert.entity) issues.push(toIssue(at, 'setField needs an entity'))
      else if (alert.trigger.type === 'deleted' || alert.trigger.type === 'schedule')
        issues.push(toIssue(at, `a '${alert.trigger.type}' alert has no record to set`))
      issues.push(...validateRuleSize(action.value, `${at}.value`))
    } else {
      for (const [field, rule] of Object.entries(action.values))
        issues.push(...validateRuleSize(rule, joinPath(`${at}.values`, field)))
    }
  })
  return issues
}

/**
 * Checks an alert beyond its schema: record triggers and recipients need an entity, a schedule's
 * cron parses and its time zone exists, templates parse, channels have someone to reach, rules
 * stay within limits. Fields, entities and roles are checked across the bundle
 * (alert-references.ts).
 * @example validateAlert({ ...alert, trigger: { type: 'schedule', cron: '0 9 * *', timeZone: 'UTC' } })
 * // [{ path: 'trigger.cron', message: 'needs five fields: …' }]
 */
export function validateAlert(alert: Alert): MetadataIssue[] {
  return [
    ...validateTrigger(alert),
    ...(alert.condition !== undefined ? validateRuleSize(alert.condition, 'condition') : []),
    ...validateRecipients(alert),
    ...validateChannels(alert),
    ...validateTemplates(alert),
    ...validateActions(alert),
  ]
}

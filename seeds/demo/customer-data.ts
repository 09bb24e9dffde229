import type { DemoContext, DemoRecord } from './demo-context'
import {
  companyName,
  domainSuffix,
  mobilePhone,
  officePhone,
  personName,
  ZH_CITIES,
  type DemoLocale,
  type ZhCity,
} from './names'
import { phrase } from './phrases'

const INDUSTRIES = [
  'manufacturing',
  'retail',
  'it',
  'finance',
  'healthcare',
  'education',
  'construction',
  'logistics',
  'other',
]
const SOURCES = ['website', 'referral', 'exhibition', 'coldCall', 'advertising', 'other']
const CURRENCY: Record<DemoLocale, string> = { zh: 'CNY', ko: 'KRW', en: 'USD' }
const CREDIT_UNIT: Record<DemoLocale, number> = { zh: 10_000, ko: 1_000_000, en: 1_000 }

/** Company names and phone numbers seen so far: customers are de-duplicated on both. */
interface Seen {
  names: Set<string>
  phones: Set<string>
}

function unique(seen: Set<string>, make: () => string): string {
  for (let i = 0; i < 50; i++) {
    const value = make()
    if (!seen.has(value)) return (seen.add(value), value)
  }
  const value = `${make()} ${seen.size + 1}`
  return (seen.add(value), value)
}

function streetAddress(ctx: DemoContext, locale: DemoLocale, city: ZhCity): string {
  const n = ctx.rng.int(1, 999)
  if (locale === 'zh') return `${city[0]}市${city[2]}${n}号`
  const street = phrase(ctx.rng, 'street', locale)
  return locale === 'ko' ? `${street} ${n}` : `${n} ${street}`
}

function pickLocale(ctx: DemoContext): DemoLocale {
  return ctx.rng.weighted({ zh: 55, ko: 25, en: 20 })
}

function makeCampaigns(ctx: DemoContext): void {
  const names = [
    '春季新品发布会',
    'Smart Factory Expo',
    '서울 IT 솔루션 세미나',
    '年中促销邮件',
    'Partner Webinar Series',
    '行业峰会赞助',
  ]
  for (let i = 0; i < ctx.count(12); i++) {
    const start = ctx.rng.int(-330, 30)
    const status =
      start > 0
        ? 'planned'
        : start + 30 > 0
          ? 'active'
          : ctx.rng.chance(0.9)
            ? 'completed'
            : 'cancelled'
    const budget = ctx.rng.int(2, 30) * 10_000
    const expected = ctx.rng.int(5, 40) * 10
    ctx.add('campaign', {
      name: `${names[i % names.length]}${i >= names.length ? ` ${Math.floor(i / names.length) + 1}` : ''}`,
      type: ctx.rng.pick(['exhibition', 'seminar', 'online', 'email', 'advertising']),
      status,
      startDate: ctx.day(start),
      endDate: ctx.day(start + ctx.rng.int(1, 30)),
      budget: ctx.money(budget),
      actualCost: status === 'completed' ? ctx.money((budget * ctx.rng.int(70, 110)) / 100) : null,
      expectedResponses: expected,
      responses:
        status === 'completed' ? Math.round((expected * ctx.rng.int(40, 130)) / 100) : null,
      description: `<p>${names[i % names.length]}</p>`,
    })
  }
}

function makeCustomer(ctx: DemoContext, seen: Seen): DemoRecord {
  const { rng } = ctx
  const locale = pickLocale(ctx)
  const industry = rng.pick(INDUSTRIES)
  const city = rng.pick(ZH_CITIES)
  let slug = ''
  const name = unique(seen.names, () => {
    const made = companyName(rng, locale, industry, city)
    slug = made.slug
    return made.name
  })
  const region = locale === 'zh' ? city[3] : 'overseas'
  const customer = ctx.add('customer', {
    name,
    phone: unique(seen.phones, () => officePhone(rng, locale, city)),
    email: `${rng.pick(['info', 'sales', 'contact', 'office'])}@${slug}.${domainSuffix(locale)}`,
    website: `https://www.${slug}.${domainSuffix(locale)}`,
    industry,
    level: rng.weighted({ A: 15, B: 35, C: 50 }),
    region,
    source: rng.pick(SOURCES),
    status: rng.weighted({ prospect: 20, active: 60, dormant: 12, lost: 8 }),
    tags: rng.sample(
      ['vip', 'partner', 'government', 'listed', 'export'],
      rng.pick([0, 0, 0, 1, 1, 2]),
    ),
    employees: rng.int(1, 200) * 10,
    creditLimit: ctx.money(rng.int(5, 200) * CREDIT_UNIT[locale], CURRENCY[locale]),
    address: streetAddress(ctx, locale, city),
    notes: rng.chance(0.2) ? phrase(rng, 'followUpContent', locale) : null,
  })
  ctx.localeOf.set(customer.id, locale)
  return customer
}

function makeContacts(ctx: DemoContext, customer: DemoRecord): void {
  const locale = ctx.localeOf.get(customer.id)!
  const count = ctx.rng.pick([1, 1, 1, 2, 2, 2, 2, 3, 3, 4])
  for (let i = 0; i < count; i++) {
    const person = personName(ctx.rng, locale)
    const domain = String(customer.email).split('@')[1]
    const contact = ctx.add('contact', {
      name: person.name,
      customer: customer.id,
      jobTitle: phrase(ctx.rng, 'jobTitle', locale),
      mobile: mobilePhone(ctx.rng, locale),
      officePhone: ctx.rng.chance(0.5) ? officePhone(ctx.rng, locale) : null,
      email: `${person.handle}${i || ''}@${domain}`,
      isPrimary: i === 0,
      birthday: ctx.rng.chance(0.3) ? ctx.day(-ctx.rng.int(25 * 365, 55 * 365)) : null,
      messenger: ctx.rng.chance(0.4)
        ? `${person.handle.replace('.', '_')}${ctx.rng.int(10, 99)}`
        : null,
    })
    ctx.localeOf.set(contact.id, locale)
  }
}

function makeCustomersAndLeads(ctx: DemoContext): void {
  const seen: Seen = { names: new Set(), phones: new Set() }
  const customers = Array.from({ length: ctx.count(200) }, () => makeCustomer(ctx, seen))
  const campaigns = ctx.list('campaign')
  const converted = ctx.rng.sample(customers, ctx.count(30))
  for (let i = 0; i < ctx.count(150); i++) {
    const target = converted[i]
    const locale = target ? ctx.localeOf.get(target.id)! : pickLocale(ctx)
    const industry = target ? String(target.industry) : ctx.rng.pick(INDUSTRIES)
    const status = target
      ? 'converted'
      : ctx.rng.weighted({ new: 35, contacted: 30, qualified: 20, disqualified: 15 })
    const person = personName(ctx.rng, locale)
    ctx.add('lead', {
      company: target
        ? target.name
        : unique(seen.names, () => companyName(ctx.rng, locale, industry).name),
      contactName: person.name,
      jobTitle: phrase(ctx.rng, 'jobTitle', locale),
      phone: unique(seen.phones, () => mobilePhone(ctx.rng, locale)),
      email: `${person.handle}@example.${domainSuffix(locale)}`,
      source: ctx.rng.pick(SOURCES),
      industry,
      region: target ? target.region : locale === 'zh' ? ctx.rng.pick(ZH_CITIES)[3] : 'overseas',
      status,
      estimatedBudget: ctx.rng.chance(0.6) ? ctx.money(ctx.rng.int(5, 500) * 1000) : null,
      campaign: ctx.rng.chance(0.4) ? ctx.rng.pick(campaigns).id : null,
      disqualifyReason: status === 'disqualified' ? phrase(ctx.rng, 'lostNote', locale) : null,
      convertedCustomer: target ? target.id : null,
      convertedAt: target ? ctx.at(-ctx.rng.int(30, 360), ctx.rng.int(1, 9)) : null,
    })
  }
  for (const customer of customers) makeContacts(ctx, customer)
}

/** Campaigns, customers with their contacts, and leads (some already converted to customers). */
export function makeCustomerData(ctx: DemoContext): void {
  makeCampaigns(ctx)
  makeCustomersAndLeads(ctx)
}

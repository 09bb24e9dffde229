import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { MetadataBundle } from '../../runtime/registry'
import type { Ctx } from '../../runtime/context'
import { createUser } from '../../runtime/identity'
import { createMetadataCache } from '../../runtime/registry'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import type { TestTarget } from '../support/databases'
import { userCtx } from '../support/user-ctx'

const REP = { username: 'rep', password: 'rep-password-1' }
const label = (en: string, zh = en, ko = en) => ({ en, 'zh-CN': zh, ko })
const base = FIXTURE_BUNDLE.entities.find((e) => e.id === 'customer')!
const quote = FIXTURE_BUNDLE.entities.find((e) => e.id === 'quote')!

/** The fixture customer with Chinese and Korean labels, a unique code and a name dedup rule. */
const customer: Entity = {
  ...base,
  fields: [
    ...base.fields.map((f) =>
      f.name === 'name' ? { ...f, label: label('Customer name', '客户名称', '고객명') } : f,
    ),
    { name: 'code', type: 'text', label: label('Code', '编号', '코드'), unique: true },
  ],
  dedup: [{ id: 'name', fields: ['name'], match: 'normalized', action: 'block' }],
}

/** The fixture quote with an auto-number, a rule on its title and one reading its customer. */
const quoteWithRules: Entity = {
  ...quote,
  fields: [
    {
      name: 'number',
      type: 'autoNumber',
      label: label('Quote no.', '报价单号', '견적 번호'),
      pattern: 'QT-{####}',
    },
    ...quote.fields,
  ],
  validations: [
    {
      id: 'titleNotTbd',
      field: 'title',
      rule: { '!=': [{ var: 'title' }, 'TBD'] },
      message: label("'TBD' is not a title", '“TBD”不是标题', "'TBD'는 제목이 아닙니다"),
    },
    {
      id: 'tagsNeedCustomer',
      field: 'tags',
      rule: { or: [{ '!': [{ var: 'tags' }] }, { '!!': [{ var: 'customer' }] }] },
      message: label(
        'A tagged quote needs a customer',
        '带标签的报价须有客户',
        '태그가 있는 견적에는 고객이 필요합니다',
      ),
    },
  ],
}

const ALL = { read: 'all', create: 'all', update: 'all', import: 'all', export: 'all' } as const

/** clerk: imports customers and quotes, never writes `notes`; rep: reads and creates, no import. */
export const IMPORT_BUNDLE: MetadataBundle = {
  ...FIXTURE_BUNDLE,
  entities: [
    customer,
    quoteWithRules,
    ...FIXTURE_BUNDLE.entities.filter((e) => !['customer', 'quote'].includes(e.id)),
  ],
  roles: [
    {
      id: 'clerk',
      label: label('Clerk'),
      grants: [
        { entity: 'customer', scopes: ALL, fields: { notes: 'read' } },
        { entity: 'quote', scopes: ALL },
      ],
    },
    {
      id: 'rep',
      label: label('Rep'),
      grants: [{ entity: 'customer', scopes: { read: 'all', create: 'all', update: 'all' } }],
    },
  ],
}

/** The app fixture over IMPORT_BUNDLE, runtime contexts per user, and files in a temp folder. */
export interface ImportFixture extends AppFixture {
  /** Bearer token of a user holding only the rep role (no import right). */
  repToken: string
  ctxOf(username: 'admin' | 'clerk', roles?: string[]): Promise<Ctx>
  file(name: string, text: string): { path: string; name: string }
  count(where?: string): Promise<number>
}

export async function openImportFixture(target: TestTarget): Promise<ImportFixture> {
  const f = await openAppFixture(target, { bundle: IMPORT_BUNDLE })
  const dir = mkdtempSync(join(tmpdir(), 'trellis-import-test-'))
  const metadata = createMetadataCache(f.db)
  const rep = await createUser({ db: f.db }, { ...REP, displayName: 'Rep' })
  await f.db.query(sql`insert into user_roles (user_id, role_id) values (${rep.id}, 'rep')`)
  const login = await f.call('POST', '/api/auth/login', { body: REP })
  const repToken = ((await login.json()) as { token: string }).token
  return {
    ...f,
    repToken,
    async ctxOf(username, roles) {
      return userCtx(f.db, await metadata.current(), username, roles, ['clerk'])
    },
    file(name, text) {
      const path = join(dir, name)
      writeFileSync(path, text)
      return { path, name }
    },
    async count(like = '%') {
      const [row] = await f.db.query<{ n: number }>(
        sql`select count(*)::int as n from app.customer where name like ${like}`,
      )
      return row.n
    },
  }
}

import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importOrganisation } from '../../runtime/io'
import { testTargets } from '../support/databases'
import { openImportFixture, type ImportFixture } from './import-fixture'

const STAFF = [
  'Username,姓名,部门,上级,角色',
  'wang,王伟,ACME/Sales/East,admin,clerk',
  'li,李娜,ACME / Sales / East,wang,clerk;ghost',
  'kim,김민수,ACME/Service,Nobody,rep',
  'clerk,Clerk Renamed,,王伟,',
  'twin1,Twin,,,',
  'twin2,Twin,,,',
  'park,박지성,ACME/Service,Twin,',
  ',No Username,,,',
].join('\n')

describe.each(testTargets())('organisation import on $name', (target) => {
  let f: ImportFixture

  beforeAll(async () => {
    f = await openImportFixture(target)
  })
  afterAll(async () => f?.close())

  it('creates departments from paths, users with managers and roles, and reports what did not resolve', async () => {
    const admin = await f.ctxOf('admin')
    const report = await importOrganisation(admin, f.file('staff.csv', STAFF))
    expect(report).toMatchObject({ created: 6, updated: 1 })
    expect(report.departmentsCreated).toEqual([
      'ACME',
      'ACME/Sales',
      'ACME/Sales/East',
      'ACME/Service',
    ])
    expect(report.problems).toEqual([
      { row: 2, field: 'roles', text: 'ghost', reason: "no role 'ghost'" },
      { row: 8, field: 'username', text: '', reason: 'is required' },
      { row: 3, field: 'manager', text: 'Nobody', reason: "no user 'Nobody'" },
      {
        row: 7,
        field: 'manager',
        text: 'Twin',
        reason: "2 users are called 'Twin': give a username",
      },
    ])
    const users = await f.db.query<{
      username: string
      display_name: string
      dept: string | null
      manager: string | null
      roles: string[]
    }>(
      sql`select u.username, u.display_name, d.name as dept, m.username as manager,
        array(select role_id from user_roles r where r.user_id = u.id order by role_id) as roles
        from users u left join departments d on d.id = u.department_id left join users m on m.id = u.manager_id
        where u.username in ('wang', 'li', 'clerk', 'park') order by u.username`,
    )
    expect(users).toEqual([
      {
        username: 'clerk',
        display_name: 'Clerk Renamed',
        dept: null,
        manager: 'wang',
        roles: ['clerk'],
      },
      { username: 'li', display_name: '李娜', dept: 'East', manager: 'wang', roles: ['clerk'] },
      { username: 'park', display_name: '박지성', dept: 'Service', manager: null, roles: [] },
      { username: 'wang', display_name: '王伟', dept: 'East', manager: 'admin', roles: ['clerk'] },
    ])
  })

  it('is for organisation administrators only', async () => {
    const clerk = await f.ctxOf('clerk')
    await expect(importOrganisation(clerk, f.file('staff2.csv', STAFF))).rejects.toMatchObject({
      status: 403,
    })
  })
})

import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../metadata/entity'
import { buildSearchSql, escapeLike } from './search-sql'
import type { SearchTarget } from './search-targets'

const dialect = new PgDialect()
const entity = { id: 'customer', label: { en: 'Customer' }, fields: [] } as Entity
const column = (name: string) => ({ name, column: sql`"t".${sql.identifier(name)}` })

const target = (over: Partial<SearchTarget> = {}): SearchTarget => ({
  entity,
  table: sql`"app"."customer"`,
  scope: null,
  title: column('name'),
  fields: [column('name'), column('phone')],
  subtitle: [],
  ...over,
})

describe('search SQL', () => {
  it('escapes the LIKE wildcards and the escape character, nothing else', () => {
    expect(escapeLike('50%_off\\now')).toBe('50\\%\\_off\\\\now')
    expect(escapeLike('华东 고객')).toBe('华东 고객')
  })

  it('passes the text only as parameters, even when it looks like SQL', () => {
    const q = dialect.sqlToQuery(buildSearchSql([target()], "x'; drop table t; --", 6))
    expect(q.sql).not.toContain('drop table')
    expect(q.params).toContain("%x'; drop table t; --%")
    expect(q.params).toContain("x'; drop table t; --%")
  })

  it('ranks a title prefix first only when the title is searched', () => {
    const withTitle = dialect.sqlToQuery(buildSearchSql([target()], 'a', 6)).sql
    expect(withTitle).toMatch(/case when "t"\."name" ilike \$\d+ then 0/)
    const hiddenTitle = dialect.sqlToQuery(
      buildSearchSql([target({ title: null, fields: [column('phone')] })], 'a', 6),
    ).sql
    expect(hiddenTitle).not.toContain('"name"')
    expect(hiddenTitle).toContain('null::text as title')
  })

  it('unites one limited branch per entity, each under its scope', () => {
    const scoped = target({ scope: sql`"t"."owner" = ${'u1'}` })
    const q = dialect.sqlToQuery(buildSearchSql([target(), scoped], 'a', 6))
    expect(q.sql.match(/union all/g)).toHaveLength(1)
    expect(q.sql).toContain('"t"."owner" = $')
    expect(q.sql.trimEnd()).toMatch(/order by g, rank, created_at desc, id desc$/)
    expect(q.params.filter((p) => p === 6)).toHaveLength(2)
  })

  it('works out the matched fields and the subtitle only for the rows the limit keeps', () => {
    const withSubtitle = target({ subtitle: [column('code')] })
    const text = dialect.sqlToQuery(buildSearchSql([withSubtitle], 'a', 6)).sql
    const limited = text.slice(text.indexOf('from (select'), text.indexOf(') kept'))
    expect(limited).toContain('limit $')
    expect(limited).not.toContain('json_build_object')
    expect(limited).not.toContain('array_remove')
    expect(text).toMatch(/json_build_object\(\$\d+::text, "s0"::text\) as subtitle/)
  })

  it('finds a select by its stored code (even a retired one) or by an option label', () => {
    const kind = {
      ...column('kind'),
      options: [
        { value: 'annual', label: { en: 'Annual leave', 'zh-CN': '年假' } },
        { value: 'sick', label: { en: 'Sick leave', 'zh-CN': '病假' } },
      ],
    }
    const select = target({ title: kind, fields: [kind] })
    const byLabel = dialect.sqlToQuery(buildSearchSql([select], 'LEAVE', 6))
    expect(byLabel.sql).toMatch(/"t"\."kind" ilike \$\d+ or "t"\."kind" in \(\$\d+, \$\d+\)/)
    expect(byLabel.params).toEqual(expect.arrayContaining(['%LEAVE%', 'annual', 'sick']))
    const byZh = dialect.sqlToQuery(buildSearchSql([select], '年假', 6))
    expect(byZh.params).toContain('annual')
    expect(byZh.params).not.toContain('sick')
    // No label holds the text: the stored code alone is compared (a retired code still matches).
    const retired = dialect.sqlToQuery(buildSearchSql([select], 'maternity', 6))
    expect(retired.sql).not.toContain(' in (')
    expect(retired.params).toContain('%maternity%')
  })
})

import { compareSides, throughputRow, trellisUrl } from './compare'
import type { Scenario } from './bench-env'

/**
 * Target 2: GET /api/data/customer/:id?related=true (the 360° view: contacts, follow-ups,
 * opportunities, orders, tickets, each trimmed) rotating over 200 customers that have contacts
 * and opportunities (a quarter of them with more contacts than the list shows).
 */
export const getRelatedScenario: Scenario = async (env) => {
  const rows = await env.sql`
    select id from app.customer where id in (
      select customer from app.contact group by customer having count(*) > 5 limit 50)
    union all
    select id from (select distinct customer as id from app.opportunity limit 150) o`
  const ids = rows.map((r) => String(r.id))
  if (!ids.length) throw new Error('no customers with related rows: reseed the bench database')
  const headers = { authorization: `Bearer ${env.token}` }
  const rotating = (url: string) => () => {
    let i = 0
    return {
      url,
      path: `/api/data/customer/${ids[0]}?related=true`,
      headers,
      setupRequest: (req: { path?: string }) => ({
        ...req,
        path: `/api/data/customer/${ids[i++ % ids.length]}?related=true`,
      }),
    }
  }
  const stats = await compareSides(env, 'get related', [
    { name: 'trellis', spec: rotating(trellisUrl(env)) },
    { name: 'baseline', spec: rotating(env.baseline.url) },
  ])
  return [
    throughputRow({
      target: 2,
      scenario: 'get by id + related lists',
      trellis: stats.trellis,
      reference: stats.baseline,
      referenceName: 'baseline',
      minRatio: 0.85,
      details: { ids: ids.length },
    }),
  ]
}

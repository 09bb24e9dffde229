import { compareSides, throughputRow, trellisUrl } from './compare'
import type { Scenario } from './bench-env'

const PATH = '/api/meta/entities/customer'

/**
 * Target 0: GET /api/meta/entities/customer through Trellis' whole chain (request id, body limit,
 * session auth, metadata cache lookup) against bare Hono answering the same JSON on the same path.
 * After the first request the session comes from the process's session cache (no query). Each
 * round also counts the server's CPU ms per request, the figure to compare on a busy machine.
 */
export const middlewareScenario: Scenario = async (env) => {
  const auth = { authorization: `Bearer ${env.token}` }
  const stats = await compareSides(env, 'middleware', [
    {
      name: 'trellis',
      spec: () => ({ url: trellisUrl(env), path: PATH, headers: auth }),
      pid: env.trellis?.pid,
    },
    {
      name: 'bare',
      spec: () => ({ url: env.bare.url, path: PATH, headers: auth }),
      pid: env.bare.pid,
    },
  ])
  return [
    throughputRow({
      target: 0,
      scenario: 'middleware chain (GET meta/entities/customer)',
      trellis: stats.trellis,
      reference: stats.bare,
      referenceName: 'bare Hono',
      minRatio: 0.8,
    }),
  ]
}

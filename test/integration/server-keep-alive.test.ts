import { Agent, get, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTrellisProcess, type TrellisProcess } from '../support/trellis-process'

/** GET `url` through `agent`: the status and whether it went out on a kept-alive connection. */
function getThrough(agent: Agent, url: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent }, (res: IncomingMessage) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }))
    })
    req.on('error', reject)
  })
}

describe('trellis start keeps idle connections open', () => {
  let server: TrellisProcess

  beforeAll(async () => {
    server = await startTrellisProcess('start', {}, { embedded: true })
  })
  afterAll(async () => {
    await server?.stop()
  })

  // Node's default (5 s) closed a connection a client was about to reuse: a browser test read
  // ECONNRESET. A request 6 s after the last one goes out on the same connection and is answered.
  it('answers a request sent on a connection idle for longer than Node’s default 5 s', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await getThrough(agent, `${server.url}/api/health`)
      expect(first).toEqual({ status: 200, reused: false })
      await new Promise((resolve) => setTimeout(resolve, 6000))
      expect(await getThrough(agent, `${server.url}/api/health`)).toEqual({
        status: 200,
        reused: true,
      })
    } finally {
      agent.destroy()
    }
  })
})

import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import type { Db } from '../../runtime/db'
import { createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { testTargets } from '../support/databases'

describe.each(testTargets())('API serving the designer on $name', (target) => {
  let dir: string
  let db: Db
  let close: () => Promise<void>
  let app: ReturnType<typeof buildApp>
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trellis-designer-'))
    await mkdir(join(dir, '_app/immutable/chunks'), { recursive: true })
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Trellis</title>')
    await writeFile(join(dir, 'favicon.svg'), '<svg/>')
    await writeFile(join(dir, '_app/immutable/chunks/app.abc123.js'), 'export {}')
    ;({ db, close } = await target.open())
    const metadata = createMetadataCache(db)
    app = buildApp({
      db,
      log: pino({ level: 'silent' }),
      clock: systemClock,
      metadata,
      designerDir: dir,
    })
  })
  afterAll(async () => {
    await close?.()
    await rm(dir, { recursive: true, force: true })
  })

  it('serves files with their content type', async () => {
    const res = await app.request('/favicon.svg')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })

  it('caches hashed assets for a year and the rest not at all', async () => {
    const asset = await app.request('/_app/immutable/chunks/app.abc123.js')
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(asset.headers.get('content-type')).toContain('javascript')
    expect((await app.request('/')).headers.get('cache-control')).toBe('no-cache')
  })

  it('answers client-side routes with index.html', async () => {
    const res = await app.request('/workspace/customer/123')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>Trellis</title>')
  })

  it('serves the page of a rebuilt designer without a restart', async () => {
    expect(await (await app.request('/e/customer')).text()).toContain('<title>Trellis</title>')
    // A rebuild writes a new page naming new hashed assets; the running server must follow.
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Trellis rebuilt</title>')
    const later = new Date(Date.now() + 5000)
    await utimes(join(dir, 'index.html'), later, later)
    expect(await (await app.request('/e/customer')).text()).toContain('Trellis rebuilt')
    // Built with the SPA fallback page instead, that page wins.
    await writeFile(join(dir, '200.html'), '<!doctype html><title>Fallback</title>')
    expect(await (await app.request('/e/customer')).text()).toContain('Fallback')
    await rm(join(dir, '200.html'))
    expect(await (await app.request('/e/customer')).text()).toContain('Trellis rebuilt')
  })

  it('answers a missing asset and an escaping path with 404', async () => {
    expect((await app.request('/_app/immutable/chunks/missing.js')).status).toBe(404)
    expect((await app.request('/missing.png')).status).toBe(404)
    expect((await app.request('/..%2f..%2fetc%2fpasswd')).status).not.toBe(200)
  })

  it('never answers /api paths with the designer', async () => {
    const res = await app.request('/api/nothing')
    expect(res.status).toBe(401)
  })
})

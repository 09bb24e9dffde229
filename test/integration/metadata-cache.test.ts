import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixedClock, systemClock } from '../../runtime/clock'
import { silentLogger, SYSTEM_USER } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { createMetadataCache, publishMetadata, type MetadataBundle } from '../../runtime/registry'
import { testTargets } from '../support/databases'

/** One small entity whose label tells the published versions apart. */
function bundle(label: string): MetadataBundle {
  return {
    packages: [],
    forms: [],
    views: [],
    entities: [
      {
        id: 'memo',
        label: { en: label, 'zh-CN': label, ko: label },
        titleField: 'title',
        fields: [
          {
            name: 'title',
            type: 'text',
            label: { en: 'Title', 'zh-CN': '标题', ko: '제목' },
            required: true,
          },
        ],
      },
    ],
  }
}

const labelOf = (set: { entities: Map<string, { label: unknown }> } | undefined) =>
  (set?.entities.get('memo')?.label as { en: string } | undefined)?.en

const until = async (check: () => boolean) => {
  const end = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe.each(testTargets())('the metadata cache on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  const publish = (label: string) =>
    publishMetadata(
      { db, user: SYSTEM_USER, clock: fixedClock(systemClock.now()), log: silentLogger },
      bundle(label),
    )
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    await publish('Memo one')
  })
  afterAll(async () => close?.())

  it('gives the loaded set without a promise, and nothing while it loads', async () => {
    const cache = createMetadataCache(db)
    expect(cache.peek()).toBeUndefined() // the first peek starts the load
    const set = await cache.current()
    expect(cache.peek()).toBe(set)
    cache.invalidate()
    expect(cache.peek()).toBeUndefined()
    expect(labelOf(await cache.current())).toBe('Memo one')
  })

  it('starts from a set the process has loaded, and still follows publishing', async () => {
    const loaded = await createMetadataCache(db).current()
    const cache = createMetadataCache(db, { known: loaded, checkEveryMs: 0 })
    expect(cache.peek()).toBe(loaded) // at once: no second load
    const before = labelOf(loaded)
    await publish(`${before} again`)
    await until(() => labelOf(cache.peek()) === `${before} again`)
  })

  it("follows another process's publishing, as current() does", async () => {
    const cache = createMetadataCache(db, { checkEveryMs: 0 })
    const first = labelOf(await cache.current())
    expect(labelOf(cache.peek())).toBe(first)
    await publish('Memo two') // as another process would: this cache is not told
    await until(() => labelOf(cache.peek()) === 'Memo two')
    expect(labelOf(await cache.current())).toBe('Memo two')
  })

  it('serves a definition from the loaded set and a new one after a publish', async () => {
    const { buildApp } = await import('../../server/app')
    const cache = createMetadataCache(db, { checkEveryMs: 0 })
    const app = buildApp({
      db,
      log: pino({ level: 'silent' }),
      clock: systemClock,
      metadata: cache,
      sessions: {
        resolve: async () => null,
        cached: () => ({ id: 'u1', username: 'admin', isAdmin: true }) as never,
        start: async () => {},
        stop: async () => {},
        apply() {},
      },
    })
    const read = async () => {
      const res = await app.request('/api/meta/entities/memo', {
        headers: { authorization: 'Bearer any' },
      })
      expect(res.status).toBe(200)
      return ((await res.json()) as { label: { en: string } }).label.en
    }
    const before = await read()
    await publish(before === 'Memo three' ? 'Memo four' : 'Memo three')
    await until(() => labelOf(cache.peek()) !== before)
    expect(await read()).not.toBe(before)
    const missing = await app.request('/api/meta/entities/nothing', {
      headers: { authorization: 'Bearer any' },
    })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { details: [{ path: 'id' }] } })
  })
})

import type { Db } from '../db'
import type { MetadataSet } from './metadata-set'
import { loadPublishedMetadata, readMetadataVersion } from './published'

export interface MetadataCache {
  /** The published metadata; a cached promise, refreshed when another process applied a change. */
  current(): Promise<MetadataSet>
  /** The set `current()` would give, when it has loaded; undefined while it loads. */
  peek(): MetadataSet | undefined
  /** Forget the cached copy (this process just applied a change). */
  invalidate(): void
}

/**
 * Keeps the published metadata in memory. Other processes publish too, so at most every
 * `checkEveryMs` one cheap query compares the global version, without delaying the request that
 * triggered it.
 */
export function createMetadataCache(
  db: Db,
  options: { checkEveryMs?: number; known?: MetadataSet } = {},
): MetadataCache {
  const checkEveryMs = options.checkEveryMs ?? 1000
  // A set the process has just loaded (at start) is the first cached one: no second load.
  let cached: Promise<MetadataSet> | undefined
  let loaded: { from: Promise<MetadataSet>; set: MetadataSet } | undefined
  if (options.known) {
    cached = Promise.resolve(options.known)
    loaded = { from: cached, set: options.known }
  }
  let checkedAt = options.known ? Date.now() : 0
  let checking = false
  const load = () => {
    const p = loadPublishedMetadata(db)
    p.then(
      (set) => void (loaded = { from: p, set }),
      () => {
        if (cached === p) cached = undefined
      },
    )
    cached = p
    checkedAt = Date.now()
    return p
  }
  const check = async (p: Promise<MetadataSet>) => {
    checking = true
    try {
      const [meta, version] = await Promise.all([p, readMetadataVersion(db)])
      if (version !== meta.version && cached === p) load()
    } catch {
      // The next request retries; a failed check never fails a request.
    } finally {
      checking = false
      checkedAt = Date.now()
    }
  }
  const current = () => {
    if (!cached) return load()
    if (!checking && Date.now() - checkedAt > checkEveryMs) void check(cached)
    return cached
  }
  return {
    current,
    peek() {
      const p = current()
      return loaded?.from === p ? loaded.set : undefined
    },
    invalidate() {
      cached = undefined
    },
  }
}

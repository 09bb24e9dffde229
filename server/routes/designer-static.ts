import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { MiddlewareHandler } from 'hono'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
}

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    return (await stat(path)).isFile() ? await readFile(path) : null
  } catch {
    return null
  }
}

/** The SPA page, kept in memory while its file is unchanged. */
interface CachedPage {
  file: string
  /** Inode, change time, modification time and size: a rebuild changes at least one. */
  stamp: string
  body: Buffer
}

/**
 * The SPA fallback (`200.html`, else `index.html`): read again when its file changes, so a server
 * that outlives a rebuild of the designer serves the page that names the new assets.
 */
function fallbackPage(root: string): () => Promise<Buffer | null> {
  let cached: CachedPage | undefined
  return async () => {
    for (const name of ['200.html', 'index.html']) {
      const file = join(root, name)
      const info = await stat(file).catch(() => null)
      if (!info?.isFile()) continue
      const stamp = `${info.ino}:${info.ctimeMs}:${info.mtimeMs}:${info.size}`
      if (cached?.file === file && cached.stamp === stamp) return cached.body
      const body = await readFile(file).catch(() => null)
      if (!body) continue
      cached = { file, stamp, body }
      return body
    }
    cached = undefined
    return null
  }
}

/**
 * Serves the built designer for GET/HEAD outside /api: its files, else the SPA fallback
 * (`index.html`, or `200.html`). Hashed assets under `/_app/immutable/` are cached for a year.
 */
export function designerStatic(options: { root: string }): MiddlewareHandler {
  const root = resolve(options.root)
  const fallback = fallbackPage(root)
  return async (c, next) => {
    const method = c.req.method
    if ((method !== 'GET' && method !== 'HEAD') || c.req.path.startsWith('/api/')) return next()
    let path: string
    try {
      path = decodeURIComponent(c.req.path)
    } catch {
      return next()
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path))
    if (file !== root && !file.startsWith(root + sep)) return next()
    const content = path.includes('\0') ? null : await readIfFile(file)
    if (content) {
      const immutable = path.startsWith('/_app/immutable/')
      return c.body(new Uint8Array(content), 200, {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      })
    }
    // A missing asset is a 404; any other path is a client-side route of the SPA.
    if (path.startsWith('/_app/') || extname(path)) return next()
    const page = await fallback()
    if (!page) return next()
    return c.body(new Uint8Array(page), 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
    })
  }
}

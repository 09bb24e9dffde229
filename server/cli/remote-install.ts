import type { InstallResult, PackageContents } from '../../runtime/registry'

/** Where a running server listens and the API token of an administrator on it. */
export interface RemoteOptions {
  url: string
  token?: string
  confirmDestructive?: boolean
  dryRun?: boolean
}

/**
 * Installs (or plans) one package through a running server's `POST /api/meta/packages`: the way
 * to reach a PGlite instance, whose data folder only its server may open.
 */
export async function installOverHttp(
  pkg: PackageContents,
  options: RemoteOptions,
): Promise<InstallResult> {
  const token = options.token ?? process.env.TRELLIS_TOKEN
  if (!token) throw new Error('--url needs an API token: --token T or TRELLIS_TOKEN')
  const query = new URLSearchParams({ apply: String(!options.dryRun) })
  if (options.confirmDestructive) query.set('confirmDestructive', 'true')
  const target = new URL(`/api/meta/packages?${query}`, options.url)
  const res = await fetch(target, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(pkg),
  })
  const body = (await res.json().catch(() => ({}))) as {
    error?: { message: string; details?: unknown }
  }
  if (!res.ok) {
    const err = new Error(`${target.origin} answered ${res.status}: ${body.error?.message ?? ''}`)
    throw Object.assign(err, { details: body.error?.details })
  }
  return body as unknown as InstallResult
}

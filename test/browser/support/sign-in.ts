import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'

/**
 * A browser context of its own (own cookies), signed in as `username` through the API; `options`
 * adds to the context's (a `timezoneId`, say).
 */
export async function contextFor(
  browser: Browser,
  baseURL: string,
  username: string,
  password: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: 'en-US', ...options })
  context.setDefaultTimeout(15_000)
  const res = await context.request.post('/api/auth/login', { data: { username, password } })
  if (res.status() !== 200) {
    throw new Error(`login as ${username} answered ${res.status()}: ${await res.text()}`)
  }
  return context
}

/** Signs in through the login form of a fresh page and waits for the sidebar. */
export async function signInThroughForm(
  page: Page,
  username: string,
  password: string,
): Promise<void> {
  await page.goto('/')
  await page.waitForURL(/\/login$/)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('sidebar').waitFor()
}

/** GETs a JSON answer with the context's session, failing loudly on a non-2xx status. */
export async function getJson<T>(context: BrowserContext, url: string): Promise<T> {
  const res = await context.request.get(url)
  if (!res.ok()) throw new Error(`GET ${url} answered ${res.status()}: ${await res.text()}`)
  return (await res.json()) as T
}

type PageStorage = { localStorage: { setItem(key: string, value: string): void } }

/** Makes every page of the context open in `locale`, as a user who chose it before would. */
export async function useLocale(context: BrowserContext, locale: string): Promise<void> {
  await context.addInitScript((l) => {
    // Also runs in frames without storage (a download's blank page): nothing to set there.
    try {
      ;(globalThis as unknown as PageStorage).localStorage.setItem('trellis.locale', l)
    } catch {}
  }, locale)
}

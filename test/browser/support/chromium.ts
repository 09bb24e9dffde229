import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { CHROMIUM_FLAGS } from '../../../runtime/templates'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * Whether the browser tests can run. Without Debian's Chromium they are skipped with a printed
 * reason on a laptop, and fail in CI (CI=true) so a missing browser is never mistaken for a pass.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  if (process.env.CI === 'true') {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium package on the CI runner`,
    )
  }
  console.warn(
    `[browser tests] SKIPPED: ${CHROMIUM_PATH} not found (apt-get install chromium to run them)`,
  )
  return false
}

/** Launches headless Chromium with the flags the CI sandbox needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_FLAGS],
  })
}

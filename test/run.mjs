#!/usr/bin/env node
// `npm test`: unit, integration (PGlite, and PostgreSQL when TEST_DATABASE_URL is set) and browser
// tests in one vitest run, saying plainly what runs and what is skipped.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const ci = process.env.CI === 'true'
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const pg = process.env.TEST_DATABASE_URL

console.log(
  `Integration tests: PGlite${pg ? ' and PostgreSQL (TEST_DATABASE_URL)' : ' only — set TEST_DATABASE_URL to run them on PostgreSQL too'}`,
)
if (!existsSync(chromium)) {
  const msg = `Chromium not found at ${chromium}`
  if (ci) {
    console.error(`${msg}: with CI=true the browser tests are required.`)
    process.exit(1)
  }
  console.log(`${msg}: browser tests are SKIPPED (apt-get install -y chromium to run them).`)
} else {
  console.log(`Browser tests: Chromium at ${chromium}`)
}
if (ci && !pg) {
  console.error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite is required in CI.')
  process.exit(1)
}

const args = ['vitest', 'run', ...process.argv.slice(2)]
const result = spawnSync('npx', args, { stdio: 'inherit', env: process.env })
process.exit(result.status ?? 1)

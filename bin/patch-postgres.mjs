// Mends a defect of postgres.js 3.4.x (porsager/postgres#1154, #1208, open upstream): a small
// write is sent from a setImmediate, and when the connection closed in between, it meets a null
// socket and throws an uncaught TypeError that ends the process — a PostgreSQL restart or a killed
// backend must not take Trellis down. The guard refuses the write's query (CONNECTION_CLOSED) so
// its caller gets an error it can catch, and the teardown forgets the buffered bytes and the timer
// so a reconnected socket never receives a dead one's half message. Idempotent; runs from
// bin/prepare.mjs after every install. Drop it once upstream ships the fix.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const MARK = '/* trellis: guarded nextWrite */'

const EDITS = [
  [
    '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  // terminate() and closed(): the timer is cleared, and now forgotten with its bytes.
  [
    '    clearImmediate(nextWriteTimer)\n    if (socket) {',
    '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n    if (socket) {',
  ],
  [
    '    clearImmediate(nextWriteTimer)\n    socket.removeListener',
    '    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null\n    socket.removeListener',
  ],
]

/**
 * Applies the guard to every build of postgres.js' connection (ESM, CommonJS, Cloudflare);
 * answers what it did per file. A file that no longer has the expected code is left alone and
 * reported, so a driver upgrade shows here rather than as a silent no-op.
 * @example patchPostgres() // [{ file: '…/src/connection.js', outcome: 'patched' }, …]
 */
export function patchPostgres(root = process.cwd()) {
  // The package's exports hide its package.json: its CommonJS entry (cjs/src/index.js) finds it.
  let base
  try {
    const entry = createRequire(join(root, 'package.json')).resolve('postgres')
    base = join(dirname(entry), '..', '..')
  } catch {
    return [] // not installed (yet)
  }
  const outcomes = []
  for (const rel of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js']) {
    const file = join(base, rel)
    if (!existsSync(file)) continue
    let text = readFileSync(file, 'utf8')
    if (text.includes(MARK)) {
      outcomes.push({ file, outcome: 'already patched' })
      continue
    }
    if (!EDITS.every(([from]) => text.includes(from))) {
      outcomes.push({ file, outcome: 'unexpected code: not patched' })
      continue
    }
    for (const [from, to] of EDITS) text = text.replace(from, to)
    writeFileSync(file, text)
    outcomes.push({ file, outcome: 'patched' })
  }
  return outcomes
}

if (process.argv[1]?.endsWith('patch-postgres.mjs')) {
  for (const { file, outcome } of patchPostgres()) console.log(`${outcome}: ${file}`)
}

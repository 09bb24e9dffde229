import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acquireDataDirLock, removeStaleLock } from './data-dir-lock'
import { readBootId, readStartTime } from './lock-holder'

const root = resolve(import.meta.dirname, '../..')
const folder = () => mkdtempSync(join(tmpdir(), 'trellis-lock-unit-'))
const writeLock = (dir: string, content: unknown) =>
  writeFileSync(
    join(dir, 'trellis.lock'),
    typeof content === 'string' ? content : JSON.stringify(content),
  )
const lockedPid = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'trellis.lock'), 'utf8')) as { pid: number }).pid

describe('the PGlite data folder lock (Linux: /proc)', () => {
  // A live process that is no Trellis: what a recorded pid often names after a restart.
  let sleeper: ChildProcess
  beforeAll(() => {
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' })
  })
  afterAll(() => {
    sleeper.kill()
  })

  it('takes over a lock whose pid is alive but started at another time', () => {
    const dir = folder()
    const startTime = readStartTime(sleeper.pid!)
    expect(startTime).toMatch(/^\d+$/)
    writeLock(dir, {
      pid: sleeper.pid,
      startTime: String(Number(startTime) - 1),
      bootId: readBootId(),
      token: 'old-holder',
    })
    const release = acquireDataDirLock(dir)
    expect(lockedPid(dir)).toBe(process.pid)
    release()
  })

  it('outwaits the takeover marker of a starter that died mid-takeover, then takes the lock', () => {
    const dir = folder()
    writeLock(dir, { pid: sleeper.pid, startTime: '1', bootId: readBootId(), token: 'crashed' })
    const marker = join(dir, 'trellis.lock.takeover-crashed')
    writeFileSync(marker, '1')
    // The marker was left 8 s ago: it counts as stale two seconds later.
    const past = new Date(Date.now() - 8_000)
    utimesSync(marker, past, past)
    const release = acquireDataDirLock(dir)
    expect(lockedPid(dir)).toBe(process.pid)
    release()
  }, 20_000)

  it('takes over a pid-only lock (as written before) naming a live process that is not Node', () => {
    const dir = folder()
    writeLock(dir, String(sleeper.pid))
    const release = acquireDataDirLock(dir)
    expect(lockedPid(dir)).toBe(process.pid)
    release()
  })

  it('takes over a lock written in another boot, whatever runs under its pid now', () => {
    const dir = folder()
    writeLock(dir, {
      pid: process.ppid,
      startTime: readStartTime(process.ppid),
      bootId: '00000000-0000-4000-8000-000000000000',
      token: 'before-reboot',
    })
    const release = acquireDataDirLock(dir)
    expect(lockedPid(dir)).toBe(process.pid)
    release()
  })

  it('refuses a lock whose holder is alive: same pid, start time and boot', () => {
    const dir = folder()
    const holder = {
      pid: process.ppid,
      startTime: readStartTime(process.ppid),
      bootId: readBootId(),
      token: 'live-holder',
    }
    writeLock(dir, holder)
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Trellis process/)
    expect(JSON.parse(readFileSync(join(dir, 'trellis.lock'), 'utf8'))).toEqual(holder)
    // A pid-only lock naming a live Node process cannot be proven stale either.
    writeLock(dir, String(process.ppid))
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Trellis process/)
  })

  it('releases the lock, and the next start takes it', () => {
    const dir = folder()
    acquireDataDirLock(dir)()
    const release = acquireDataDirLock(dir)
    expect(lockedPid(dir)).toBe(process.pid)
    release()
  })

  it('never removes a lock that a faster starter took over: a slow one judged the old one stale', () => {
    const dir = folder()
    writeLock(dir, { pid: sleeper.pid, startTime: '1', bootId: readBootId(), token: 'stale' })
    const release = acquireDataDirLock(dir)
    // The slow starter read the stale lock before the fast one replaced it, and acts only now.
    removeStaleLock(dir, 'stale')
    expect(lockedPid(dir)).toBe(process.pid)
    expect(readFileSync(join(dir, 'trellis.lock'), 'utf8')).not.toContain('"stale"')
    release()
  })

  it('lets exactly one of several racing starters take over a stale lock', async () => {
    const dir = folder()
    writeLock(dir, { pid: sleeper.pid, startTime: '1', bootId: readBootId(), token: 'stale' })
    // Each child loads the code, says ready, and tries on "go"; the winner holds until stdin ends.
    const script = `
      const { acquireDataDirLock } = await import(${JSON.stringify(join(root, 'runtime/db/data-dir-lock.ts'))})
      console.log('ready')
      process.stdin.once('data', () => {
        try { acquireDataDirLock(process.argv[1]); console.log('won') }
        catch (err) { console.log(/in use/.test(err.message) ? 'refused' : 'error ' + err.message) }
      })`
    const children = Array.from({ length: 6 }, () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script, dir],
        { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
      )
      const lines: string[] = []
      const waiters: (() => void)[] = []
      child.stdout!.on('data', (chunk: Buffer) => {
        lines.push(...chunk.toString().trim().split('\n'))
        waiters.forEach((w) => w())
      })
      const said = (n: number) =>
        new Promise<void>((done) => {
          const check = () => lines.length >= n && done()
          waiters.push(check)
          check()
        })
      return { child, lines, ready: said(1), outcome: said(2) }
    })
    await Promise.all(children.map((c) => c.ready))
    for (const c of children) c.child.stdin!.write('go\n')
    await Promise.all(children.map((c) => c.outcome))
    const outcomes = children.map((c) => c.lines[1])
    for (const c of children) c.child.stdin!.end()
    expect(
      outcomes.filter((o) => o === 'won'),
      outcomes.join(),
    ).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(5)
  }, 60_000)
})

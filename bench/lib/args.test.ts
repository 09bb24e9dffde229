import { describe, expect, it } from 'vitest'
import { parseBenchArgs, selected } from './args'

describe('bench arguments', () => {
  it('defaults to 1M rows, 5 s runs after a 5 s warm-up, 3 rounds, 32 connections and every scenario', () => {
    const args = parseBenchArgs([])
    expect(args).toMatchObject({
      rows: 1_000_000,
      duration: 5,
      warmup: 5,
      rounds: 3,
      connections: 32,
    })
    expect(parseBenchArgs(['--warmup', '2']).warmup).toBe(2)
    expect(selected(args, 'metadata')).toBe(true)
    expect(selected(args, 'permissions')).toBe(true)
  })

  it('selects scenarios by number or by name, comma separated or repeated', () => {
    const args = parseBenchArgs(['--only', '1,create', '--only', 'metadata,startup'])
    expect([...args.only].sort()).toEqual([
      'create',
      'idle',
      'list',
      'metadata',
      'permissions',
      'search',
    ])
    expect(selected(args, 'middleware')).toBe(false)
  })

  it('selects the permissions bench alone by its name', () => {
    const args = parseBenchArgs(['--only', 'permissions'])
    expect([...args.only]).toEqual(['permissions'])
    expect(selected(args, 'list')).toBe(false)
  })

  it('selects the search bench alone by its name', () => {
    const args = parseBenchArgs(['--only', 'search'])
    expect([...args.only]).toEqual(['search'])
    expect(selected(args, 'list')).toBe(false)
  })

  it('refuses unknown scenarios and non-positive numbers', () => {
    expect(() => parseBenchArgs(['--only', '12'])).toThrow(/unknown scenario/)
    expect(() => parseBenchArgs(['--rows', '0'])).toThrow(/positive integer/)
  })
})

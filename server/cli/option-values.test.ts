import { parseArgs } from 'node:util'
import { describe, expect, it } from 'vitest'
import { joinOptionValues } from './option-values'

describe('joinOptionValues', () => {
  it('lets a token or password that starts with a dash through parseArgs', () => {
    const argv = ['install', 'pkg', '--token', '-Xy_3', '--password', '--pw', '--admin']
    const joined = joinOptionValues(argv, new Set(['token', 'password']))
    expect(joined).toEqual(['install', 'pkg', '--token=-Xy_3', '--password=--pw', '--admin'])
    const { values, positionals } = parseArgs({
      args: joined,
      allowPositionals: true,
      options: {
        token: { type: 'string' },
        password: { type: 'string' },
        admin: { type: 'boolean' },
      },
    })
    expect(values).toEqual({ token: '-Xy_3', password: '--pw', admin: true })
    expect(positionals).toEqual(['install', 'pkg'])
  })

  it('leaves a trailing option without a value for parseArgs to refuse', () => {
    expect(joinOptionValues(['--token'], new Set(['token']))).toEqual(['--token'])
  })
})

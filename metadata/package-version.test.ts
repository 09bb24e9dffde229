import { describe, expect, it } from 'vitest'
import { parseRange, satisfiesRange } from './package-version'

/** [version, range, whether it lies in the range] */
const CASES: Record<string, [string, string, boolean][]> = {
  'a caret as the same major version (the same minor below 1.0.0)': [
    ['1.0.0', '^1.0.0', true],
    ['1.9.3', '^1.2.0', true],
    ['1.1.9', '^1.2.0', false],
    ['2.0.0', '^1.0.0', false],
    ['2.0.0-beta.1', '^1.0.0', false],
    ['0.2.5', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['0.0.4', '^0.0.3', false],
  ],
  'a tilde as the same minor version, exact versions and bounds as written': [
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '=1.2.3', false],
    ['3.1.0', '>=2.0.0 <4.0.0', true],
    ['4.0.0', '>=2.0.0 <4.0.0', false],
    ['7.0.0', '*', true],
  ],
  'pre-releases before their release, numbers by value': [
    ['2.0.0-beta.10', '>2.0.0-beta.2', true],
    ['2.0.0-beta.2', '>=2.0.0', false],
    ['2.0.0-1', '<2.0.0-alpha', true],
  ],
}

describe('satisfiesRange', () => {
  for (const [reading, cases] of Object.entries(CASES))
    it(`reads ${reading}`, () => {
      for (const [version, range, inside] of cases)
        expect(satisfiesRange(version, range), `${version} in ${range}`).toBe(inside)
    })

  it('knows no range in other words, and no version that is not one', () => {
    for (const range of ['', 'latest', '1.x', '^1', '>= 1.0.0', 'file:../order'])
      expect(parseRange(range), range).toBeNull()
    expect(satisfiesRange('1.0', '*')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { fmtRatio, fmtRps, formatTable } from './report'

describe('bench report', () => {
  it('aligns every column under its title', () => {
    const table = formatTable([
      {
        target: 1,
        scenario: 'list page 1',
        trellis: '3,900/s',
        reference: '4,400/s',
        ratio: '0.89×',
        goal: '≥ 0.8×',
        p99: '20 / 18',
        verdict: 'PASS',
      },
      {
        target: 11,
        scenario: 'metadata apply',
        trellis: '0.4 s',
        reference: '',
        ratio: '',
        goal: '≤ 2 s',
        p99: '',
        verdict: 'PASS',
      },
    ])
    const lines = table.split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0].indexOf('Trellis')).toBe(lines[2].indexOf('3,900/s'))
    expect(lines[3]).toContain('metadata apply')
  })

  it('formats throughput and ratios, with a dash for missing numbers', () => {
    expect(fmtRps(4412.6)).toBe('4,413/s')
    expect(fmtRatio(0.8349)).toBe('0.83×')
    expect(fmtRps(Number.NaN)).toBe('—')
  })
})

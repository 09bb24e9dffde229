import { describe, expect, it } from 'vitest'
import type { Flow } from '$metadata/flow'
import { submitterPicks } from './flow-picks'

const flow = {
  id: 'f',
  label: { en: 'F' },
  entity: 'e',
  stateField: 'status',
  states: [{ id: 'draft' }, { id: 'pending' }, { id: 'done', final: true }],
  transitions: [
    {
      id: 'submit',
      label: { en: 'Submit' },
      from: ['draft'],
      to: 'done',
      approval: {
        pending: 'pending',
        rejected: 'draft',
        steps: [
          { id: 'mgr', label: { en: 'Manager' }, approvers: [{ manager: 1 }] },
          {
            id: 'split',
            branches: [
              {
                id: 'big',
                steps: [
                  {
                    id: 'experts',
                    label: { en: 'Experts' },
                    approvers: [{ submitterPick: { role: 'expert', min: 1, max: 2 } }],
                  },
                ],
              },
            ],
          },
        ],
      },
    },
    { id: 'close', label: { en: 'Close' }, from: ['draft'], to: 'done' },
  ],
} as Flow

describe('submitterPicks', () => {
  it('finds the steps whose approvers the submitter picks, inside branches too', () => {
    expect(submitterPicks(flow, 'submit')).toEqual([
      { step: 'experts', label: { en: 'Experts' }, role: 'expert', min: 1, max: 2 },
    ])
  })

  it('answers none for a transition without an approval or unknown', () => {
    expect(submitterPicks(flow, 'close')).toEqual([])
    expect(submitterPicks(flow, 'nope')).toEqual([])
  })
})

/* Random approval shapes for the model-based test, and the flow definition each one stands for. */
import type { ApprovalNode, ApprovalStep, Flow } from '../../../metadata/flow'
import type { ModelMode, ModelShape, ModelStepDef } from './approval-model'
import { flowWith, step } from './core-fixtures'

/** Approvers the steps draw from (each used by one step at most). */
export const APPROVERS = Array.from({ length: 30 }, (_, i) => `p${i + 1}`)
/** People who are nobody's approver: delegates, transferees and added signers. */
export const OUTSIDERS = ['x1', 'x2', 'x3']
/** Not an active user: handing on to them is refused. */
export const GHOST = 'ghost'
export const SUBMITTER = 'sub'

/** mulberry32: a small seeded PRNG so a failure can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One of a list, at random. */
export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!
}

/** A random shape: 0–2 head steps, maybe branches, maybe a parallel block, a last step. */
export function randomShape(rand: () => number): ModelShape {
  const pool = [...APPROVERS]
  let n = 0
  const def = (lane?: 'A' | 'B'): ModelStepDef => {
    const size = 1 + Math.floor(rand() * 3)
    const approvers = pool.splice(Math.floor(rand() * (pool.length - size)), size)
    const mode = pick<ModelMode>(rand, ['any', 'all', 'vote', 'sequence'])
    const timeout =
      rand() < 0.3
        ? {
            action: pick(rand, ['approve', 'reject', 'remind'] as const),
            repeat: 1 + Math.floor(rand() * 2),
          }
        : undefined
    const threshold = pick(rand, [0.34, 0.5, 0.67, 1])
    return { id: `s${n++}`, approvers, mode, threshold, lane, ...(timeout ? { timeout } : {}) }
  }
  const head = Array.from({ length: Math.floor(rand() * 3) }, () => def())
  const branches =
    rand() < 0.5 ? { big: def(), mid: def(), ...(rand() < 0.5 ? { rest: def() } : {}) } : undefined
  const parallel =
    rand() < 0.5
      ? { A: rand() < 0.5 ? [def('A')] : [def('A'), def('A')], B: [def('B')] }
      : undefined
  const resubmit = rand() < 0.5 ? ('first' as const) : ('rejectedStep' as const)
  return { head, branches, parallel, last: def(), resubmit }
}

function toStep(def: ModelStepDef): ApprovalStep {
  const timeout = def.timeout && { after: { hours: 1 }, ...def.timeout }
  return step(
    def.id,
    def.approvers.map((u) => ({ user: u })),
    { mode: def.mode, threshold: def.threshold, ...(timeout ? { timeout } : {}) },
  )
}

/** The flow a shape stands for: `amount` is an input of the submit transition. */
export function toFlow(shape: ModelShape): Flow {
  const steps: ApprovalNode[] = shape.head.map(toStep)
  const b = shape.branches
  if (b) {
    steps.push({
      id: 'route',
      branches: [
        { id: 'big', when: { '>': [{ var: 'amount' }, 1000] }, steps: [toStep(b.big)] },
        { id: 'mid', when: { '>': [{ var: 'amount' }, 100] }, steps: [toStep(b.mid)] },
        { id: 'rest', steps: b.rest ? [toStep(b.rest)] : [] },
      ],
    })
  }
  const p = shape.parallel
  if (p) {
    steps.push({
      id: 'both',
      parallel: [
        { id: 'A', steps: p.A.map(toStep) },
        { id: 'B', steps: p.B.map(toStep) },
      ],
    })
  }
  steps.push(toStep(shape.last))
  const flow = flowWith({ steps, resubmit: shape.resubmit }, { inputs: ['amount'] })
  // Fired while an approval runs, it must be refused: a record has one running approval.
  flow.transitions.push({
    id: 'rush',
    label: { en: 'Rush' },
    from: ['pending'],
    to: 'approved',
    approval: { pending: 'pending', rejected: 'rejected', steps: [step('rush', [{ user: 'x1' }])] },
  })
  return flow
}

import { describe, expect, it } from 'vitest'
import type { Flow } from '../../../metadata/flow'
import { TrellisError } from '../../errors'
import type { CoreEffect } from '../approval-instance'
import { type ModelStep, modelRecall, modelSubmit, modelVote, newModel } from './approval-model'
import { fakeOrg, flowWith, Run, step } from './core-fixtures'

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']
const people = Object.fromEntries([...USERS, 'sub'].map((u) => [u, {}]))
const org = fakeOrg(people)
const SEQUENCES = Number(process.env.FLOW_MODEL_SEQUENCES ?? 3000)
const SEED = Number(process.env.FLOW_MODEL_SEED ?? 20250303)

/** mulberry32: a small seeded PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomSteps(rand: () => number): ModelStep[] {
  const pool = [...USERS].sort(() => rand() - 0.5)
  const count = 1 + Math.floor(rand() * 3)
  return Array.from({ length: count }, () => {
    const size = 1 + Math.floor(rand() * 3)
    const approvers = pool.splice(0, Math.min(size, pool.length - (count > 1 ? 1 : 0)) || 1)
    const mode = (['any', 'all', 'vote', 'sequence'] as const)[Math.floor(rand() * 4)]!
    return { approvers, mode, threshold: [0.34, 0.5, 0.67, 1][Math.floor(rand() * 4)]! }
  })
}

function toFlow(steps: ModelStep[]): Flow {
  return flowWith({
    steps: steps.map((s, i) =>
      step(
        `s${i}`,
        s.approvers.map((u) => ({ user: u })),
        { mode: s.mode, threshold: s.threshold },
      ),
    ),
  })
}

/** Runs one random sequence on both; returns a description of the first disagreement. */
function walk(seed: number): string | null {
  const rand = prng(seed)
  const steps = randomSteps(rand)
  const run = new Run(toFlow(steps), {}, org)
  const model = newModel()
  const outcomes = { core: 0 }
  for (let i = 0; i < 12; i++) {
    const roll = rand()
    const user = USERS[Math.floor(rand() * USERS.length)]!
    let label: string
    let allowed: boolean
    let act: () => unknown
    if (roll < 0.08) {
      label = 'submit'
      allowed = modelSubmit(model, steps, false)
      act = () => run.submit('sub')
    } else if (roll < 0.12) {
      label = 'resubmit'
      allowed = modelSubmit(model, steps, true)
      act = () => run.act('sub', { type: 'resubmit' })
    } else if (roll < 0.15) {
      label = 'recall'
      allowed = modelRecall(model)
      act = () => run.act('sub', { type: 'recall' })
    } else {
      const vote = rand() < 0.75 ? 'a' : 'r'
      label = `${vote === 'a' ? 'approve' : 'reject'} ${user}`
      allowed = modelVote(model, steps, user, vote)
      const task = taskFor(run, user)
      act = () => run.act(user, { type: vote === 'a' ? 'approve' : 'reject', task, comment: 'c' })
    }
    if (i === 0 && !allowed && model.status === 'none') continue
    const error = attempt(act)
    if (error && !(error instanceof TrellisError)) return `${label}: ${String(error)}`
    if (allowed === !!error)
      return `step ${i} ${label}: model ${allowed ? 'allows' : 'refuses'}, core ${error ? 'refused' : 'allowed'}`
    if (!error) outcomes.core += countOutcomes(run.last!.effects)
    const problem = compare(run, model, outcomes.core)
    if (problem) return `step ${i} ${label}: ${problem}`
  }
  return null
}

function taskFor(run: Run, user: string): string {
  const tasks = (run.instance?.tasks ?? []).filter((t) => t.assignee === user)
  return (tasks.find((t) => t.status === 'pending') ?? tasks.at(-1))?.id ?? 'none'
}

function attempt(fn: () => unknown): unknown {
  try {
    fn()
    return null
  } catch (error) {
    return error
  }
}

function countOutcomes(effects: CoreEffect[]): number {
  return effects.filter(
    (e) => e.type === 'emit' && (e.action === 'approve' || e.action === 'reject'),
  ).length
}

function compare(
  run: Run,
  model: ReturnType<typeof newModel>,
  coreOutcomes: number,
): string | null {
  if (run.record.status !== model.state)
    return `state ${String(run.record.status)} ≠ model ${model.state}`
  const status = run.instance?.status ?? 'none'
  if (status !== model.status) return `status ${status} ≠ model ${model.status}`
  if (coreOutcomes !== model.outcomes)
    return `outcomes emitted ${coreOutcomes} ≠ model ${model.outcomes}`
  const pending = (run.instance?.tasks ?? []).filter((t) => t.status === 'pending')
  const keys = pending.map((t) => `${t.step}/${t.round}/${t.assignee}`)
  if (new Set(keys).size !== keys.length)
    return `two pending tasks for one approver: ${keys.join(', ')}`
  return null
}

describe('the flow core against an independent model', () => {
  it(`agrees with per-step vote counting over ${SEQUENCES} random event sequences`, () => {
    for (let n = 0; n < SEQUENCES; n++) {
      const seed = SEED + n
      const problem = walk(seed)
      expect(
        problem,
        `seed ${seed} (FLOW_MODEL_SEED=${seed} FLOW_MODEL_SEQUENCES=1 replays it)`,
      ).toBeNull()
    }
  })
})

import { describe, expect, it } from 'vitest'
import type { ApprovalTask } from '../approval-instance'
import {
  allDefs,
  isPending,
  type Model,
  modelAddSigner,
  modelDecide,
  modelHandOn,
  modelReclaim,
  modelRecall,
  modelRemoveSigner,
  modelResubmit,
  modelReturn,
  modelSubmit,
  modelTimeout,
  modelWithdraw,
  newModel,
  type ReturnTo,
  type Signer,
  signerAt,
  type Verdict,
} from './approval-model'
import { ModelRun, type Outcome } from './approval-model-run'
import {
  APPROVERS,
  GHOST,
  OUTSIDERS,
  pick,
  prng,
  randomShape,
  SUBMITTER,
  toFlow,
} from './approval-model-shape'
import { type EventInput, fakeOrg } from './core-fixtures'

const people = Object.fromEntries([...APPROVERS, ...OUTSIDERS, SUBMITTER].map((u) => [u, {}]))
const org = fakeOrg({ ...people, [GHOST]: { inactive: true } })
const isActive = (u: string) => org.isActive(u)
const SEQUENCES = Number(process.env.FLOW_MODEL_SEQUENCES ?? 800)
const SEED = Number(process.env.FLOW_MODEL_SEED ?? 20250303)
const EVENTS = 18

/** A signer of a live step run, as the model and the core both name it. */
interface Target {
  step: string
  round: number
  order: number
  signer?: Signer
}

/** One random action: its label, the model's verdict, and the core event to compare. */
interface Action {
  label: string
  verdict: Verdict
  actor: string
  event: EventInput
  /** The owner the actor stood in for (a delegated task). */
  delegateOf?: string
}

function targets(m: Model): Target[] {
  return [...m.runs.values()].flatMap((run) =>
    run.signers.map((signer) => ({
      step: run.def.id,
      round: run.round,
      order: signer.order,
      signer,
    })),
  )
}

function taskId(run: ModelRun, t: { step: string; round: number; order: number }): string {
  const task = run.current?.tasks.find(
    (x) => x.step === t.step && x.round === t.round && x.order === t.order,
  )
  return task?.id ?? 'none'
}

/** Picks a signer: mostly one who may act now, sometimes any of the live runs. */
function chooseTarget(rand: () => number, m: Model): Target | undefined {
  const all = targets(m)
  const pending = all.filter((t) => isPending(m, t.step, t.signer!))
  const list = pending.length && rand() < 0.8 ? pending : all
  return list.length ? pick(rand, list) : undefined
}

function chooseActor(rand: () => number, m: Model, s: Signer | undefined): string {
  const roll = rand()
  if (s && roll < 0.7) return s.assignee
  if (s?.from && roll < 0.8) return s.from
  return pick(rand, [...allDefs(m.shape).flatMap((d) => d.approvers), ...OUTSIDERS, SUBMITTER])
}

function taskAction(rand: () => number, m: Model, run: ModelRun, roll: number): Action | null {
  const t = chooseTarget(rand, m)
  if (!t) return null
  const task = taskId(run, t)
  const s = t.signer
  const actor = chooseActor(rand, m, s)
  const comment = rand() < 0.9 ? 'because' : undefined
  const at = `${t.step}/${t.round}/${t.order}`
  if (roll < 0.55) {
    const vote = rand() < 0.75 ? 'a' : 'r'
    const type = vote === 'a' ? 'approve' : 'reject'
    const verdict = modelDecide(m, t.step, s, actor, vote, !!comment)
    const delegateOf = s?.from && actor === s.assignee ? actor : undefined
    const event: EventInput = { type, task, comment }
    return { label: `${type} ${at} by ${actor}`, verdict, actor, event, delegateOf }
  }
  if (roll < 0.63) {
    const to: ReturnTo = pick(rand, [
      'previous',
      'submitter',
      { step: pick(rand, allDefs(m.shape)).id },
    ])
    const verdict = modelReturn(m, t.step, s, actor, to, !!comment)
    const label = `return ${at} by ${actor} to ${JSON.stringify(to)}`
    return { label, verdict, actor, event: { type: 'return', task, to, comment } }
  }
  if (roll < 0.72) {
    const kind = rand()
    if (kind < 0.25) {
      // Mostly the delegating owner; else whoever chooseActor gives (the delegate, a stranger).
      const by = s?.from && rand() < 0.7 ? s.from : actor
      const verdict = modelReclaim(m, t.step, s, by)
      return {
        label: `reclaim ${at} by ${by}`,
        verdict,
        actor: by,
        event: { type: 'reclaim', task },
      }
    }
    const type = kind < 0.6 ? 'delegate' : 'transfer'
    const to = pick(rand, [...OUTSIDERS, GHOST, s?.owner ?? GHOST, pick(rand, APPROVERS)])
    const verdict = modelHandOn(m, t.step, s, actor, to, type, isActive)
    return {
      label: `${type} ${at} by ${actor} to ${to}`,
      verdict,
      actor,
      event: { type, task, to },
    }
  }
  if (roll < 0.77) {
    const users = rand() < 0.5 ? [pick(rand, OUTSIDERS)] : [pick(rand, OUTSIDERS), GHOST]
    const verdict = modelAddSigner(m, t.step, s, actor, users, isActive)
    const label = `addSigner ${at} by ${actor}: ${users.join(',')}`
    return { label, verdict, actor, event: { type: 'addSigner', task, users } }
  }
  if (roll < 0.83) {
    const fellows = targets(m).filter((x) => x.step === t.step && isPending(m, x.step, x.signer!))
    const by = rand() < 0.5 && fellows.length ? pick(rand, fellows).signer!.assignee : actor
    const verdict = modelRemoveSigner(m, t.step, s, by)
    return {
      label: `removeSigner ${at} by ${by}`,
      verdict,
      actor: by,
      event: { type: 'removeSigner', task },
    }
  }
  const verdict = modelTimeout(m, t.step, s)
  const kind = allDefs(m.shape).find((d) => d.id === t.step)!.timeout?.action ?? 'none'
  return {
    label: `timeout-${kind} ${at}`,
    verdict,
    actor: 'system',
    event: { type: 'timeout', task },
  }
}

/** Withdraw names a task the core decided (maybe one the approval has left behind). */
function withdrawAction(rand: () => number, m: Model, run: ModelRun): Action | null {
  const decided = (run.current?.tasks ?? []).filter((x) => x.status === 'approved' && x.decidedBy)
  if (!decided.length) return null
  const t: ApprovalTask = pick(rand, decided)
  const actor = rand() < 0.85 ? t.decidedBy! : chooseActor(rand, m, undefined)
  const done = m.completed.includes(t.step) ? '-completed' : ''
  const verdict = modelWithdraw(m, t.step, signerAt(m, t.step, t.round, t.order), actor)
  const label = `withdraw${done} ${t.step}/${t.round}/${t.order} by ${actor}`
  return { label, verdict, actor, event: { type: 'withdraw', task: t.id } }
}

function lifecycleAction(rand: () => number, m: Model, run: ModelRun, roll: number): Action | null {
  const actor = rand() < 0.85 ? SUBMITTER : pick(rand, APPROVERS)
  if (roll < 0.06) {
    const amount = pick(rand, [50, 500, 5000])
    const verdict = modelSubmit(m, SUBMITTER, amount)
    const event: EventInput = { type: 'fire', transition: 'submit', inputs: { amount } }
    return { label: `submit amount ${amount}`, verdict, actor: SUBMITTER, event }
  }
  if (roll < 0.075) {
    const event: EventInput = { type: 'fire', transition: 'rush' }
    return { label: 'rush', verdict: 'refused', actor: SUBMITTER, event }
  }
  if (roll < 0.1)
    return {
      label: 'resubmit',
      verdict: modelResubmit(m, actor),
      actor,
      event: { type: 'resubmit' },
    }
  if (roll < 0.13)
    return { label: 'recall', verdict: modelRecall(m, actor), actor, event: { type: 'recall' } }
  // An edit between rounds: resubmitting from the first step routes on the new amount.
  if (m.status === 'running' || m.shape.resubmit !== 'first') return null
  m.amount = pick(rand, [50, 500, 5000])
  run.record.amount = m.amount
  return null
}

/** What the sequences reached, so a change of the generator cannot quietly stop covering it. */
const seen = new Set<string>()

function kindOf(action: Action, m: Model): string {
  const e = action.event
  if (e.type === 'return') return `return ${typeof e.to === 'string' ? e.to : 'step'}`
  if (e.type === 'resubmit') return `resubmit ${m.shape.resubmit}`
  return action.label.split(' ')[0]!
}

/** Runs one random sequence on both; returns a description of the first disagreement. */
function walk(seed: number): string | null {
  const rand = prng(seed)
  const shape = randomShape(rand)
  const run = new ModelRun(toFlow(shape), org)
  const m = newModel(shape, SUBMITTER)
  const trace: string[] = []
  const fail = (problem: string) =>
    `${problem}\n  after: ${trace.join(' | ')}` +
    (process.env.FLOW_MODEL_DEBUG
      ? `\n${JSON.stringify({ shape, tasks: run.current?.tasks })}`
      : '')
  for (let i = 0; i < EVENTS; i++) {
    const roll = i === 0 ? 0 : rand()
    const action =
      roll < 0.15
        ? lifecycleAction(rand, m, run, roll)
        : roll < 0.23
          ? withdrawAction(rand, m, run)
          : taskAction(rand, m, run, (roll - 0.23) / 0.77)
    if (!action) continue
    const outcome = run.act(action.actor, action.event)
    const at = `event ${i} ${action.label}`
    if (outcome.broken) return fail(`${at}: ${outcome.broken}`)
    const problem = agree(action.verdict, outcome) ?? compare(run, m)
    if (problem) return fail(`${at}: ${problem}`)
    trace.push(`${action.label} ${outcome.error ? '✗' : '✓'}`)
    if (action.verdict === 'ok') seen.add(kindOf(action, m))
    if (shape.parallel && m.active.includes(shape.last.id)) seen.add('joined')
    if (action.actor === action.delegateOf) seen.add('acted for the owner')
  }
  return null
}

function agree(verdict: Verdict, outcome: Outcome): string | null {
  const { result, error } = outcome
  if (verdict === 'refused') return error ? null : 'model refuses, core accepted'
  if (error) return `model ${verdict}, core refused: ${error.message}`
  const noop = !result!.effects.length && result!.state === null
  if (verdict === 'noop' && !noop) return 'model: nothing happens, core changed something'
  return null
}

function openTasks(run: ModelRun): string[] {
  return (run.current?.tasks ?? [])
    .filter((t) => t.status === 'pending' || t.status === 'waiting')
    .map(
      (t) =>
        `${t.step}/${t.round}/${t.order} ${t.status} ${t.assignee}<${t.owner}<${t.delegatedFrom ?? ''}`,
    )
    .sort()
}

function modelOpen(m: Model): string[] {
  return targets(m)
    .filter((t) => m.active.includes(t.step) && !t.signer!.removed && !t.signer!.vote)
    .map((t) => {
      const s = t.signer!
      const status = isPending(m, t.step, s) ? 'pending' : 'waiting'
      return `${t.step}/${t.round}/${t.order} ${status} ${s.assignee}<${s.owner}<${s.from ?? ''}`
    })
    .sort()
}

function compare(run: ModelRun, m: Model): string | null {
  if (run.record.status !== m.state) return `state ${String(run.record.status)} ≠ model ${m.state}`
  const inst = run.current
  if ((inst?.status ?? 'none') !== m.status) return `status ${inst?.status} ≠ model ${m.status}`
  if (run.finals !== m.outcomes) return `final emits ${run.finals} ≠ model ${m.outcomes}`
  const open = openTasks(run).join('; ')
  const expected = modelOpen(m).join('; ')
  if (open !== expected) return `open tasks [${open}] ≠ model [${expected}]`
  const active = [...(inst?.active ?? [])].sort().join()
  if (active !== [...m.active].sort().join()) return `active ${active} ≠ model ${m.active}`
  if (m.status === 'running' && inst!.completed.join() !== m.completed.join())
    return `completed ${inst!.completed} ≠ model ${m.completed}`
  return null
}

describe('the flow core against an independent model', () => {
  it(`agrees with the model over ${SEQUENCES} random event sequences`, () => {
    for (let n = 0; n < SEQUENCES; n++) {
      const seed = SEED + n
      const problem = walk(seed)
      expect(
        problem,
        `seed ${seed} (FLOW_MODEL_SEED=${seed} FLOW_MODEL_SEQUENCES=1 replays it)`,
      ).toBeNull()
    }
    if (SEQUENCES < 500) return
    const expected = [
      ...['submit', 'resubmit first', 'resubmit rejectedStep', 'recall', 'approve', 'reject'],
      ...['return previous', 'return step', 'return submitter', 'withdraw', 'withdraw-completed'],
      ...[
        'delegate',
        'reclaim',
        'transfer',
        'addSigner',
        'removeSigner',
        'acted for the owner',
        'joined',
      ],
      ...['timeout-approve', 'timeout-reject', 'timeout-remind'],
    ]
    expect(expected.filter((k) => !seen.has(k))).toEqual([])
  }, 60_000)
})

/*
 * An independent, deliberately simple model of sequential approvals for the model-based test:
 * a list of steps, each a list of approvers and a mode, and per-step vote counting. It knows
 * nothing of tasks, rounds or the core's data; it only says what must happen.
 */

export type ModelMode = 'any' | 'all' | 'vote' | 'sequence'

export interface ModelStep {
  approvers: string[]
  mode: ModelMode
  threshold: number
}

export interface ModelState {
  state: string
  status: 'none' | 'running' | 'approved' | 'rejected' | 'recalled'
  step: number
  votes: Map<string, 'a' | 'r'>
  /** Record moves into `approved` / `rejected` (each must be emitted exactly once). */
  outcomes: number
}

/** A fresh model: a draft record and no approval. */
export function newModel(): ModelState {
  return { state: 'draft', status: 'none', step: 0, votes: new Map(), outcomes: 0 }
}

/** Submits (from draft) or resubmits (after rejection); false when not allowed. */
export function modelSubmit(m: ModelState, steps: ModelStep[], resubmit: boolean): boolean {
  const ok = resubmit ? m.status === 'rejected' : m.state === 'draft'
  if (!ok) return false
  Object.assign(m, { status: 'running', state: 'pending', step: 0, votes: new Map() })
  return true
}

/** The submitter recalls a running approval; false when not running. */
export function modelRecall(m: ModelState): boolean {
  if (m.status !== 'running') return false
  Object.assign(m, { status: 'recalled', state: 'draft' })
  return true
}

/** One approver's vote; false when they may not vote now. */
export function modelVote(
  m: ModelState,
  steps: ModelStep[],
  user: string,
  vote: 'a' | 'r',
): boolean {
  const step = steps[m.step]
  if (m.status !== 'running' || !step || !step.approvers.includes(user) || m.votes.has(user))
    return false
  if (step.mode === 'sequence' && step.approvers.find((u) => !m.votes.has(u)) !== user) return false
  m.votes.set(user, vote)
  const verdict = decide(step, m.votes)
  if (verdict === 'rejected') return finish(m, 'rejected')
  if (verdict === 'approved') {
    m.step += 1
    m.votes = new Map()
    if (m.step >= steps.length) return finish(m, 'approved')
  }
  return true
}

function finish(m: ModelState, outcome: 'approved' | 'rejected'): boolean {
  Object.assign(m, { status: outcome, state: outcome, outcomes: m.outcomes + 1 })
  return true
}

function decide(step: ModelStep, votes: Map<string, 'a' | 'r'>): 'open' | 'approved' | 'rejected' {
  const n = step.approvers.length
  const yes = [...votes.values()].filter((v) => v === 'a').length
  const no = votes.size - yes
  if (step.mode === 'any') return yes ? 'approved' : no ? 'rejected' : 'open'
  if (step.mode === 'vote') {
    if (yes / n >= step.threshold) return 'approved'
    return (n - no) / n < step.threshold ? 'rejected' : 'open'
  }
  if (no) return 'rejected'
  return yes === n ? 'approved' : 'open'
}

/*
 * An independent, deliberately simple model of one record's approvals for the model-based test.
 * Its shape is fixed: sequential head steps, an optional three-way branch on `amount`, an
 * optional parallel block of two lanes, and a last step. It keeps per step only the signers of
 * the current run; it knows nothing of the core's tree walk, task rows or history. Each action
 * answers 'ok', 'noop' (accepted, nothing changes) or 'refused'.
 */

export type ModelMode = 'any' | 'all' | 'vote' | 'sequence'
export type Verdict = 'ok' | 'noop' | 'refused'

/** One step of the shape; `lane` marks a step inside the parallel block. */
export interface ModelStepDef {
  id: string
  approvers: string[]
  mode: ModelMode
  threshold: number
  timeout?: { action: 'approve' | 'reject' | 'remind'; repeat: number }
  lane?: 'A' | 'B'
}

/** The approval's shape: branches are chosen by amount (first match wins). */
export interface ModelShape {
  head: ModelStepDef[]
  /** amount > 1000 → big; amount > 100 → mid (so 5000 takes big); else rest (maybe nothing). */
  branches?: { big: ModelStepDef; mid: ModelStepDef; rest?: ModelStepDef }
  parallel?: { A: ModelStepDef[]; B: ModelStepDef[] }
  last: ModelStepDef
  resubmit: 'first' | 'rejectedStep'
}

/** One approver's part in the current run of a step; `order` is its place in the turn. */
export interface Signer {
  order: number
  owner: string
  assignee: string
  from?: string
  /** The owner before a transfer. */
  first?: string
  vote?: 'a' | 'r'
  /** Who decided (null: the engine, on a timeout). */
  by?: string | null
  removed?: boolean
  reminders: number
}

export interface StepRun {
  def: ModelStepDef
  round: number
  signers: Signer[]
}

type Stage = { step: ModelStepDef } | { par: { A: ModelStepDef[]; B: ModelStepDef[] } }

export interface Model {
  shape: ModelShape
  submitter: string
  amount: number
  state: string
  status: 'none' | 'running' | 'approved' | 'rejected' | 'recalled'
  route: Stage[]
  runs: Map<string, StepRun>
  rounds: Map<string, number>
  active: string[]
  completed: string[]
  joined: Set<string>
  rejectedStep?: string
  activeAtEnd: string[]
  /** Record moves that end an approval round (approve, reject, return, recall). */
  outcomes: number
}

/** A fresh model: a draft record and no approval. */
export function newModel(shape: ModelShape, submitter: string): Model {
  return {
    shape,
    submitter,
    amount: 0,
    state: 'draft',
    status: 'none',
    route: [],
    runs: new Map(),
    rounds: new Map(),
    active: [],
    completed: [],
    joined: new Set(),
    activeAtEnd: [],
    outcomes: 0,
  }
}

function routeOf(shape: ModelShape, amount: number): Stage[] {
  const stages: Stage[] = shape.head.map((step) => ({ step }))
  const b = shape.branches
  const chosen = !b ? undefined : amount > 1000 ? b.big : amount > 100 ? b.mid : b.rest
  if (chosen) stages.push({ step: chosen })
  if (shape.parallel) stages.push({ par: shape.parallel })
  stages.push({ step: shape.last })
  return stages
}

/** Every step definition of the shape. */
export function allDefs(shape: ModelShape): ModelStepDef[] {
  const b = shape.branches
  const branchDefs = b ? [b.big, b.mid, ...(b.rest ? [b.rest] : [])] : []
  const lanes = shape.parallel ? [...shape.parallel.A, ...shape.parallel.B] : []
  return [...shape.head, ...branchDefs, ...lanes, shape.last]
}

function defOf(m: Model, id: string): ModelStepDef {
  return allDefs(m.shape).find((d) => d.id === id)!
}

/** Two steps lie on one path unless they sit in different lanes of the parallel block. */
export function onPath(m: Model, a: string, b: string): boolean {
  const la = defOf(m, a).lane
  const lb = defOf(m, b).lane
  return !la || !lb || la === lb
}

/** Fires the transition from draft with `amount` set; a new approval starts. */
export function modelSubmit(m: Model, actor: string, amount: number): Verdict {
  if (m.state !== 'draft' || m.status === 'running') return 'refused'
  const fresh = newModel(m.shape, actor)
  Object.assign(m, { ...fresh, amount, status: 'running', state: 'pending', outcomes: m.outcomes })
  m.route = routeOf(m.shape, amount)
  enterStage(m, 0)
  return 'ok'
}

/** The submitter sends a rejected (or returned) request again. */
export function modelResubmit(m: Model, actor: string): Verdict {
  if (actor !== m.submitter || m.status !== 'rejected') return 'refused'
  if (m.state !== 'rejected' && m.state !== 'draft') return 'refused'
  Object.assign(m, { status: 'running', state: 'pending', active: [] })
  if (m.shape.resubmit === 'rejectedStep') {
    // Pick up where it stopped: the rejecting step and any lane step cut short with it.
    for (const id of m.activeAtEnd) {
      if (defOf(m, id).lane) m.joined.delete(defOf(m, id).lane!)
      startStep(m, defOf(m, id))
    }
    return 'ok'
  }
  Object.assign(m, { completed: [], joined: new Set(), runs: new Map() })
  m.route = routeOf(m.shape, m.amount)
  enterStage(m, 0)
  return 'ok'
}

/** The submitter takes back a running request. */
export function modelRecall(m: Model, actor: string): Verdict {
  if (actor !== m.submitter || m.status !== 'running') return 'refused'
  Object.assign(m, { status: 'recalled', state: 'draft', active: [], outcomes: m.outcomes + 1 })
  return 'ok'
}

/** The signer (of a live step run) with a given round and turn order. */
export function signerAt(m: Model, step: string, round: number, order: number): Signer | undefined {
  const run = m.runs.get(step)
  if (!run || run.round !== round) return undefined
  return run.signers.find((s) => s.order === order)
}

function isOpen(s: Signer): boolean {
  return !s.removed && !s.vote
}

/** Whether a signer may act now: an open signer of an active step whose turn it is. */
export function isPending(m: Model, step: string, s: Signer): boolean {
  const run = m.runs.get(step)
  if (m.status !== 'running' || !run || !m.active.includes(step) || !isOpen(s)) return false
  if (run.def.mode !== 'sequence') return true
  return run.signers.filter(isOpen).sort((a, b) => a.order - b.order)[0] === s
}

/** The signer an actor may act on, or undefined. */
function actionable(m: Model, step: string, s: Signer | undefined, actor: string) {
  if (!s || !isPending(m, step, s)) return undefined
  return actor === s.assignee || actor === s.from ? s : undefined
}

/** Approve or reject by a person (a rejection needs a comment). */
export function modelDecide(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
  vote: 'a' | 'r',
  comment: boolean,
): Verdict {
  const signer = actionable(m, step, s, actor)
  if (!signer || (vote === 'r' && !comment)) return 'refused'
  Object.assign(signer, { vote, by: actor })
  settle(m, step)
  return 'ok'
}

/** Where the task's step goes back to: the previous step, a chosen one, or the submitter. */
export type ReturnTo = 'previous' | 'submitter' | { step: string }

/** Returns a task (a comment is required). */
export function modelReturn(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
  to: ReturnTo,
  comment: boolean,
): Verdict {
  if (!actionable(m, step, s, actor) || !comment) return 'refused'
  if (to === 'submitter') {
    finish(m, 'rejected', step)
    m.state = 'draft'
    return 'ok'
  }
  const earlier = m.completed.filter((c) => c !== step && onPath(m, c, step))
  const target = to === 'previous' ? earlier.at(-1) : to.step
  if (!target || !earlier.includes(target)) return 'refused'
  forgetFrom(m, target)
  startStep(m, defOf(m, target))
  return 'ok'
}

/** Whether a user owns another open task of the step (one open task per owner and step). */
function ownsOpen(m: Model, step: string, user: string, except?: Signer): boolean {
  return m.runs.get(step)!.signers.some((x) => x !== except && isOpen(x) && x.owner === user)
}

/**
 * Delegate (the owner keeps the task; the delegate acts for them) or transfer (it moves for
 * good, so not to someone who owns an open task of the step already).
 */
export function modelHandOn(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
  to: string,
  kind: 'delegate' | 'transfer',
  active: (u: string) => boolean,
): Verdict {
  const signer = actionable(m, step, s, actor)
  if (!signer || !active(to)) return 'refused'
  if (kind === 'transfer') {
    if (ownsOpen(m, step, to, signer)) return 'refused'
    signer.first ??= signer.owner
    Object.assign(signer, { owner: to, assignee: to, from: undefined })
  } else
    Object.assign(signer, { assignee: to, from: to === signer.owner ? undefined : signer.owner })
  return 'ok'
}

/** The owner takes back a task they delegated: theirs again, the delegate's no more. */
export function modelReclaim(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
): Verdict {
  const signer = actionable(m, step, s, actor)
  if (!signer?.from || actor !== signer.from) return 'refused'
  Object.assign(signer, { assignee: signer.owner, from: undefined })
  return 'ok'
}

/** Adds signers to the live step (after the last in turn). */
export function modelAddSigner(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
  users: string[],
  active: (u: string) => boolean,
): Verdict {
  if (!actionable(m, step, s, actor) || !users.every(active)) return 'refused'
  const run = m.runs.get(step)!
  const fresh = [...new Set(users)].filter((u) => !ownsOpen(m, step, u))
  if (!fresh.length) return 'refused'
  let order = Math.max(...run.signers.map((x) => x.order)) + 1
  for (const u of fresh) run.signers.push({ order: order++, owner: u, assignee: u, reminders: 0 })
  return 'ok'
}

/** Removes an open signer: by a fellow pending signer or the submitter; never the last. */
export function modelRemoveSigner(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
): Verdict {
  if (!s || !isOpen(s) || m.status !== 'running' || !m.active.includes(step)) return 'refused'
  const run = m.runs.get(step)!
  const fellow = run.signers.some((x) => x !== s && isPending(m, step, x) && x.assignee === actor)
  if (!fellow && actor !== m.submitter) return 'refused'
  if (run.signers.filter(isOpen).length <= 1) return 'refused'
  s.removed = true
  settle(m, step)
  return 'ok'
}

/** A task's timeout fell due. */
export function modelTimeout(m: Model, step: string | undefined, s: Signer | undefined): Verdict {
  const timeout = step ? defOf(m, step).timeout : undefined
  if (!timeout || !step) return 'noop'
  if (!s || !isPending(m, step, s)) return 'refused'
  if (timeout.action === 'remind') {
    if (s.reminders >= timeout.repeat) return 'noop'
    s.reminders += 1
    return 'ok'
  }
  Object.assign(s, { vote: timeout.action === 'approve' ? 'a' : 'r', by: null })
  settle(m, step)
  return 'ok'
}

/** An approver takes back their approval while no later step on its path has had a person act. */
export function modelWithdraw(
  m: Model,
  step: string,
  s: Signer | undefined,
  actor: string,
): Verdict {
  if (!s || s.vote !== 'a' || s.by !== actor || m.status !== 'running') return 'refused'
  if (!m.active.includes(step)) {
    const at = m.completed.indexOf(step)
    if (at < 0) return 'refused'
    const later = [...m.active, ...m.completed.slice(at + 1)].filter((x) => onPath(m, step, x))
    const acted = later.some((x) =>
      m.runs.get(x)?.signers.some((y) => !y.removed && y.vote && y.by),
    )
    if (acted) return 'refused'
    forgetFrom(m, step)
    m.active.push(step)
  }
  delete s.vote
  delete s.by
  return 'ok'
}

function enterStage(m: Model, index: number): void {
  const stage = m.route[index]
  if (!stage) return finish(m, 'approved')
  if ('step' in stage) return startStep(m, stage.step)
  m.joined = new Set()
  startStep(m, stage.par.A[0]!)
  startStep(m, stage.par.B[0]!)
}

/** Starts a new run of a step; whoever approved the step completed last approves at once. */
function startStep(m: Model, def: ModelStepDef): void {
  const round = (m.rounds.get(def.id) ?? 0) + 1
  m.rounds.set(def.id, round)
  const last = m.completed.at(-1)
  const before = (last && m.runs.get(last)?.signers.filter((x) => x.vote === 'a')) || []
  const again = new Set(before.flatMap((x) => [x.owner, x.first ?? x.owner]))
  const signers = def.approvers.map((u, order): Signer => {
    const signer = { order, owner: u, assignee: u, reminders: 0 }
    return again.has(u) ? { ...signer, vote: 'a', by: null } : signer
  })
  m.runs.set(def.id, { def, round, signers })
  m.active.push(def.id)
  if (signers.some((x) => x.vote)) settle(m, def.id)
}

function settle(m: Model, step: string): void {
  const verdict = decide(m.runs.get(step)!)
  if (verdict === 'rejected') return finish(m, 'rejected', step)
  if (verdict === 'open') return
  m.active = m.active.filter((x) => x !== step)
  m.completed.push(step)
  const def = defOf(m, step)
  const stageIndex = m.route.findIndex((st) => 'par' in st === !!def.lane && stageHas(st, step))
  if (!def.lane) return enterStage(m, stageIndex + 1)
  const lane = (m.route[stageIndex] as Extract<Stage, { par: unknown }>).par[def.lane]
  const next = lane[lane.indexOf(def) + 1]
  if (next) return startStep(m, next)
  m.joined.add(def.lane)
  if (m.joined.size === 2) enterStage(m, stageIndex + 1)
}

function stageHas(stage: Stage, step: string): boolean {
  if ('step' in stage) return stage.step.id === step
  return [...stage.par.A, ...stage.par.B].some((d) => d.id === step)
}

/** Drops a step and what came after it on its path from the running and completed sets. */
function forgetFrom(m: Model, step: string): void {
  const after = (x: string) => x === step || onPath(m, step, x)
  const at = m.completed.indexOf(step)
  const dropped = [...m.active.filter(after), ...m.completed.filter((x, i) => i >= at && after(x))]
  m.active = m.active.filter((x) => !after(x))
  m.completed = m.completed.filter((x, i) => i < at || !after(x))
  for (const x of dropped) if (x !== step) m.runs.delete(x)
  const lane = defOf(m, step).lane
  if (lane) m.joined.delete(lane)
}

function finish(m: Model, outcome: 'approved' | 'rejected', step?: string): void {
  Object.assign(m, { status: outcome, state: outcome, outcomes: m.outcomes + 1 })
  m.activeAtEnd = m.active
  m.active = []
  if (step) m.rejectedStep = step
}

function decide(run: StepRun): 'open' | 'approved' | 'rejected' {
  const live = run.signers.filter((s) => !s.removed)
  const n = live.length
  const yes = live.filter((s) => s.vote === 'a').length
  const no = live.filter((s) => s.vote === 'r').length
  const open = n - yes - no
  if (run.def.mode === 'any') return yes ? 'approved' : no || !n ? 'rejected' : 'open'
  if (run.def.mode === 'vote') {
    if (n && yes / n >= run.def.threshold) return 'approved'
    return (yes + open) / Math.max(n, 1) < run.def.threshold ? 'rejected' : 'open'
  }
  if (no) return 'rejected'
  return open ? 'open' : 'approved'
}

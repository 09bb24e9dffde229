/*
 * The model-based test's stand-in for the shell: keeps one record, every approval instance it
 * had, and checks after each event the invariants that hold whatever the model says.
 */
import type { Flow } from '../../../metadata/flow'
import { TrellisError } from '../../errors'
import type { ApprovalInstance, CoreResult, FlowEvent, OrgView } from '../approval-instance'
import type { EventInput } from './core-fixtures'
import { runFlowEvent } from './run-flow-event'

/** What one event did: the core's answer, or the error it refused with. */
export interface Outcome {
  result?: CoreResult
  error?: TrellisError
}

/** Ends of an approval round counted per instance (reset by each submit). */
interface RoundCount {
  effects: number
  finals: number
}

export class ModelRun {
  record: Record<string, unknown> = { id: 'r1', status: 'draft' }
  instances = new Map<string, ApprovalInstance>()
  current: ApprovalInstance | null = null
  /** Emits that end an approval round (approve, reject, return, recall), over all events. */
  finals = 0
  private rounds = new Map<string, RoundCount>()
  private fired = 0

  constructor(
    readonly flow: Flow,
    readonly org: OrgView,
  ) {}

  /** Runs one event as the shell would; returns what happened or a broken invariant. */
  act(actor: string, event: EventInput): Outcome & { broken?: string } {
    const before = this.current
    const frozen = JSON.stringify(before)
    const lines = before?.history.length ?? 0
    const record = JSON.stringify(this.record)
    const ctx = {
      now: new Date('2025-03-03T09:00:00Z'),
      record: this.record,
      user: { id: actor, username: actor },
      org: this.org,
      newInstanceId: `i${this.fired + 1}`,
      flowVersion: 1,
    }
    let result: CoreResult
    try {
      result = runFlowEvent(this.flow, before, { ...event, actor } as FlowEvent, ctx)
    } catch (error) {
      if (!(error instanceof TrellisError)) throw error
      const changed = JSON.stringify(before) !== frozen || JSON.stringify(this.record) !== record
      return {
        error,
        broken: changed ? 'a refused event changed the instance or record' : undefined,
      }
    }
    if (result.instance && result.instance.id !== before?.id) this.fired += 1
    this.record = { ...this.record, ...result.inputs }
    if (result.state) this.record.status = result.state
    if (result.instance) {
      this.current = result.instance
      this.instances.set(result.instance.id, result.instance)
    }
    return { result, broken: this.check(before?.id, lines, frozen, result) ?? undefined }
  }

  private check(
    id: string | undefined,
    lines: number,
    frozen: string,
    r: CoreResult,
  ): string | null {
    const inst = r.instance
    const running = [...this.instances.values()].filter((i) => i.status === 'running')
    if (running.length > 1) return `${running.length} running instances`
    if (!inst) return null
    const changed = r.effects.length > 0 || r.state !== null || JSON.stringify(inst) !== frozen
    const grown = inst.history.length - (inst.id === id ? lines : 0)
    if (changed && grown < 1) return 'an accepted event added no history'
    const counted = this.countRound(inst.id, r)
    if (counted) return counted
    for (const t of inst.tasks) {
      if (t.status !== 'pending' && t.status !== 'waiting') continue
      if (inst.status !== 'running') return `${inst.status} instance keeps ${t.status} task ${t.id}`
      if (!inst.active.includes(t.step))
        return `task ${t.id} ${t.status} on inactive step ${t.step}`
      const latest = Math.max(...inst.tasks.filter((x) => x.step === t.step).map((x) => x.round))
      if (t.round !== latest) return `task ${t.id} open in old round ${t.round} of ${t.step}`
    }
    return null
  }

  /** At most one `runTransitionEffects` and one final emit per round of an instance. */
  private countRound(id: string, r: CoreResult): string | null {
    let count = this.rounds.get(id) ?? { effects: 0, finals: 0 }
    for (const e of r.effects) {
      if (e.type === 'emit' && e.action === 'submit') count = { effects: 0, finals: 0 }
      else if (e.type === 'emit') {
        count.finals += 1
        this.finals += 1
      } else if (e.type === 'runTransitionEffects') count.effects += 1
    }
    this.rounds.set(id, count)
    if (count.finals > 1) return `${count.finals} final emits in one round`
    if (count.effects > 1) return `transition effects ran ${count.effects} times in one round`
    return null
  }
}

import { addHistory, type Draft, notify } from './draft'
import { approveTask, rejectTask } from './task-decide'
import { actionableTask, stepOf } from './tasks'

/**
 * A task's timeout fell due: remind its assignee (up to `repeat` times, the timer set again
 * until then), escalate it to the assignee's manager, or approve or reject it for them.
 */
export function timeoutTask(d: Draft, taskId: string): void {
  const task = d.inst.tasks.find((t) => t.id === taskId)
  const timeout = task && stepOf(d, task).timeout
  if (!task || !timeout) return
  const current = actionableTask(d, taskId, task.assignee)
  const by = { actor: null, auto: 'timeout' as const, comment: `timed out: ${timeout.action}` }
  if (timeout.action === 'approve') return approveTask(d, current, by)
  if (timeout.action === 'reject') return rejectTask(d, current, by)
  const manager = timeout.action === 'escalate' ? d.ctx.org.managerOf(current.assignee) : null
  if (manager) {
    current.originalOwner ??= current.owner
    Object.assign(current, { owner: manager, assignee: manager, handover: 'escalate' })
    delete current.delegatedFrom
    addHistory(d, {
      action: 'escalate',
      by: null,
      step: current.step,
      task: current.id,
      to: [manager],
    })
    notify(d, [manager], 'task', current.id)
    d.effects.push({ type: 'scheduleTimeout', task: current.id, step: current.step })
    return
  }
  if (current.reminders >= (timeout.repeat ?? 1)) return
  current.reminders += 1
  addHistory(d, {
    action: 'remind',
    by: null,
    step: current.step,
    task: current.id,
    to: [current.assignee],
  })
  notify(d, [current.assignee], 'remind', current.id)
  if (current.reminders < (timeout.repeat ?? 1)) {
    d.effects.push({ type: 'scheduleTimeout', task: current.id, step: current.step })
  }
}

/*
 * The shipped flows, each run through its scenarios by the pure flow core (runFlowEvent).
 *
 * Scenario files: `seeds/<module>/flows/<flow>.scenarios.json`, beside the flow they test.
 *
 *   {
 *     "flow": "quoteApproval",                  // the flow's id
 *     "people": [                               // optional: people added to the demo organisation
 *       { "username": "fin2", "department": "Finance", "roles": ["finance"] }
 *     ],
 *     "scenarios": [
 *       {
 *         "name": "a 35 % discount goes to the manager, then the director",
 *         "start": "draft",                     // the record's state before the first step
 *         "record": { "owner": "@rep_east1", "discount": 35 },   // other values of the record
 *         "steps": [
 *           { "fire": "submit", "as": "rep_east1", "state": "pendingApproval", "tasks": ["mgr_east"] },
 *           { "approve": "manager", "as": "mgr_east", "state": "pendingApproval", "tasks": ["director"] },
 *           { "reject": "director", "as": "director", "comment": "Too deep", "state": "notApproved" }
 *         ]
 *       }
 *     ]
 *   }
 *
 * A step is one event, named by its key:
 *   fire: <transition>     fired by `as`, with optional `inputs` (field → value), `comment`, `picks`
 *                          (step id → usernames); checked first against the `transition` scope of
 *                          the roles `as` holds (their demo role plus `employee`), as the shell does
 *   approve | reject | withdraw | return | delegate | transfer: <step id>
 *                          acts on the pending task of that step assigned to `as` (or, when `as`
 *                          holds none, on the step's first pending task, so the core can refuse);
 *                          `return` takes `to` ('previous' | 'submitter' | { "step": id }),
 *                          delegate / transfer take `to` (a username)
 *   timeout: <step id>     the step's first pending task falls due (the system acts)
 *   recall: true | resubmit: true   by `as`, on the record's approval
 * and what must hold after it:
 *   state      the record's state (required unless `refused`)
 *   refused    the HTTP status the event is refused with (403 scope or guard, 409 state,
 *              422 inputs or comment); the record keeps its state
 *   tasks      usernames holding a pending task, in any order ([] for none)
 *   status     the approval's status: running | approved | rejected | recalled
 *   effects    core effect types that must be among those returned (runTransitionEffects, emit,
 *              notify, scheduleTimeout, cancelTimeout)
 * Values `"@username"` in `record` and `inputs` stand for that person's user id. The organisation
 * is the demo one of seeds/demo/people.ts: managers, departments and their heads, roles.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Flow } from '../metadata/flow'
import { walkApprovalNodes } from '../metadata/flow-checks'
import { runFlowEvent } from '../runtime/flows/core'
import { scenarioOrg } from './flow-scenario-org'
import {
  runScenario,
  type Observed,
  type ScenarioFile,
  type ScenarioStep,
} from './flow-scenario-runner'
import { loadSeedBundle, loadSeedPackages } from './load-seed-packages'

const packages = loadSeedPackages()
const bundle = loadSeedBundle()
const entities = new Map(bundle.entities.map((e) => [e.id, e]))
const roles = bundle.roles ?? []
const kebab = (id: string) => id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
const shipped = packages.flatMap((p) =>
  p.flows.map((flow) => ({ flow, file: join(p.dir, 'flows', `${kebab(flow.id)}.scenarios.json`) })),
)

function readScenarios(file: string): ScenarioFile {
  return JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile
}

/** Every step of every scenario of a flow, with what the core made of it. */
function runAll(flow: Flow, file: ScenarioFile) {
  const setup = {
    flow,
    entity: entities.get(flow.entity)!,
    roles,
    org: scenarioOrg(file.people),
    run: runFlowEvent,
  }
  return file.scenarios.map((scenario) => ({ scenario, observed: runScenario(setup, scenario) }))
}

function describeStep(step: ScenarioStep): string {
  const { state: _s, refused: _r, tasks: _t, status: _st, effects: _e, ...event } = step
  return JSON.stringify(event)
}

function expectStep(where: string, step: ScenarioStep, seen: Observed) {
  const at = `${where}: ${describeStep(step)} → ${seen.message ?? 'accepted'}`
  expect(seen.refused, at).toBe(step.refused ?? null)
  if (step.state !== undefined) expect(seen.state, at).toBe(step.state)
  if (step.tasks) expect(seen.tasks, at).toEqual([...step.tasks].sort())
  if (step.status) expect(seen.status, at).toBe(step.status)
  for (const effect of step.effects ?? []) expect(seen.effects, at).toContain(effect)
}

describe('the shipped flows', () => {
  it('are one per entity across the four modules, each with a scenarios file naming it', () => {
    expect(shipped.map((s) => s.flow.id).sort()).toEqual(
      [
        'complaintEscalation',
        'expenseClaimApproval',
        'followUpReview',
        'leadConversion',
        'leaveApproval',
        'opportunityStages',
        'paymentConfirmation',
        'quoteApproval',
        'salesOrderApproval',
        'ticketDispatch',
        'ticketHandling',
        'weeklyPlanReview',
      ].sort(),
    )
    expect(new Set(shipped.map((s) => s.flow.entity)).size).toBe(shipped.length)
    for (const { flow, file } of shipped) {
      expect(existsSync(file), file).toBe(true)
      expect(readScenarios(file).flow, file).toBe(flow.id)
    }
  })

  it('take their states from the options of the state field, one for one; the default is initial', () => {
    for (const { flow } of shipped) {
      const field = entities.get(flow.entity)!.fields.find((f) => f.name === flow.stateField)!
      const options = (field.options ?? []).map((o) => o.value)
      expect(flow.states.map((s) => s.id).sort(), flow.id).toEqual([...options].sort())
      expect(
        flow.states.filter((s) => s.initial).map((s) => s.id),
        flow.id,
      ).toEqual([field.default])
      for (const option of field.options ?? [])
        expect(option.color, `${flow.id} ${option.value}`).toBeTruthy()
    }
  })

  it('let some role besides the administrator fire each transition', () => {
    for (const { flow } of shipped) {
      const granted = roles.filter((r) => {
        const scope = r.grants.find((g) => g.entity === flow.entity)?.scopes.transition
        return scope !== undefined && scope !== 'none'
      })
      expect(granted.length, flow.id).toBeGreaterThan(0)
    }
  })

  it('name approver roles that ship', () => {
    const ids = new Set(roles.map((r) => r.id))
    for (const { flow } of shipped)
      for (const t of flow.transitions)
        walkApprovalNodes(t.approval?.steps ?? [], '', (node) => {
          if (!('approvers' in node)) return
          for (const source of node.approvers)
            if ('role' in source)
              expect(ids.has(source.role), `${flow.id} ${source.role}`).toBe(true)
        })
  })

  it('give every scenario step a state to reach or a refusal to meet', () => {
    for (const { file } of shipped)
      for (const scenario of readScenarios(file).scenarios)
        for (const step of scenario.steps)
          expect(
            step.state !== undefined || step.refused !== undefined,
            `${file} ${scenario.name} ${describeStep(step)}`,
          ).toBe(true)
  })
})

describe.each(shipped)('the scenarios of $flow.id', ({ flow, file }) => {
  const runs = runAll(flow, readScenarios(file))

  it.each(runs.map((r) => [r.scenario.name, r] as const))('%s', (_name, { scenario, observed }) => {
    scenario.steps.forEach((step, i) =>
      expectStep(`${flow.id} › ${scenario.name} › step ${i + 1}`, step, observed[i]),
    )
  })

  it('fire every transition of the flow at least once, and act on every approval step', () => {
    const fired = new Set(runs.flatMap((r) => r.observed.map((o) => o.fired).filter(Boolean)))
    expect([...fired].sort(), flow.id).toEqual(flow.transitions.map((t) => t.id).sort())
    const acted = new Set(
      runs.flatMap((r) =>
        r.scenario.steps
          .filter((s, i) => r.observed[i].refused === null && !s.fire)
          .flatMap((s) => [s.approve, s.reject, s.return, s.timeout].filter(Boolean)),
      ),
    )
    for (const t of flow.transitions)
      walkApprovalNodes(t.approval?.steps ?? [], '', (node) => {
        if ('approvers' in node) expect(acted.has(node.id), `${flow.id} step ${node.id}`).toBe(true)
      })
  })
})

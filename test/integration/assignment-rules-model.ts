import type { AssignmentRule, PoolTeam } from '../../metadata/pool'

/**
 * The assignment rules of docs/metadata.md ("An assignment rule") written out again, apart
 * from runtime/assignment, for assignment-model.test.ts to check the runtime against.
 * People are usernames; dates are `YYYY-MM-DD` strings in UTC.
 */

/** The statuses the test's rules count as open (their `openFilter`). */
export const OPEN_STATUSES = ['new', 'working']

export interface ModelPerson {
  disabled: boolean
  roles: Set<string>
  department: string | null
}

export interface ModelLead {
  kind: string
  region: string | null
  status: string
  owner: string | null
}

export interface ModelLeave {
  user: string
  start: string
  end: string
  status: string
}

/** A rule as published, with the `kind` its `when` asks for (none: it always applies). */
export interface ModelRule {
  rule: AssignmentRule
  kind?: string
}

/** What the model expects of one created record: the new owner and the history's `rule`. */
export interface ModelOutcome {
  owner: string | null
  /** `<ruleId>:<how>` of the `assign` history entry, or null when nothing was written. */
  history: string | null
}

/** How often the walk met each rule, so a test can tell the agreement covered it. */
export interface ModelStats {
  leaveSkips: number
  capacitySkips: number
  ties: number
  fallbacks: number
  fellThrough: number
  handKept: number
  assigned: Record<string, number>
}

const emptyStats = (): ModelStats => ({
  leaveSkips: 0,
  capacitySkips: 0,
  ties: 0,
  fallbacks: 0,
  fellThrough: 0,
  handKept: 0,
  assigned: {},
})

export class AssignmentModel {
  people = new Map<string, ModelPerson>()
  leads: ModelLead[] = []
  leaves: ModelLeave[] = []
  stats = emptyStats()
  /** One turn counter per rule, kept for the life of the rule. */
  private turns = new Map<string, number>()

  readonly rules: ModelRule[]

  /** Published rules are tried in id order, whatever order they were written in. */
  constructor(rules: ModelRule[]) {
    this.rules = [...rules].sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1))
  }

  /** Forgets records, leave and statistics; turn counters stay, as they do in the database. */
  clear(): void {
    this.leads = []
    this.leaves = []
    this.stats = emptyStats()
  }

  /** Enabled people anyone of the team's lists names, in username order. */
  private members(team: PoolTeam): string[] {
    return [...this.people.entries()]
      .filter(([name, p]) => {
        if (p.disabled) return false
        if (team.usernames?.includes(name)) return true
        if (team.roles?.some((r) => p.roles.has(r))) return true
        return p.department !== null && (team.departments ?? []).includes(p.department)
      })
      .map(([name]) => name)
      .sort()
  }

  private teamOf(rule: AssignmentRule, lead: ModelLead): PoolTeam | null {
    if (rule.strategy !== 'byField') return rule.team ?? null
    return lead.region === null ? null : (rule.byField!.teams[lead.region] ?? null)
  }

  private onLeave(rule: AssignmentRule, name: string, today: string): boolean {
    const approved = rule.leave!.approved ?? 'approved'
    return this.leaves.some(
      (l) => l.user === name && l.status === approved && l.start <= today && today <= l.end,
    )
  }

  /** Records `name` holds that count as open for `rule` (every record without an openFilter). */
  load(rule: AssignmentRule, name: string): number {
    const open = (l: ModelLead) => !rule.openFilter || OPEN_STATUSES.includes(l.status)
    return this.leads.filter((l) => l.owner === name && open(l)).length
  }

  private turn(ruleId: string): number {
    const next = (this.turns.get(ruleId) ?? 0) + 1
    this.turns.set(ruleId, next)
    return next
  }

  /** Who `rule` gives `lead` to and how, or null when it yields nobody. */
  private choose(rule: AssignmentRule, lead: ModelLead, today: string) {
    const team = this.teamOf(rule, lead)
    let people = team ? this.members(team) : []
    if (rule.leave) {
      const present = people.filter((p) => !this.onLeave(rule, p, today))
      this.stats.leaveSkips += people.length - present.length
      people = present
    }
    if (rule.capacity !== undefined) {
      const room = people.filter((p) => this.load(rule, p) < rule.capacity!)
      this.stats.capacitySkips += people.length - room.length
      people = room
    }
    if (!people.length) {
      const fallback = rule.fallbackOwner
      if (!fallback || this.people.get(fallback)?.disabled !== false) return null
      return { owner: fallback, how: 'fallback' }
    }
    const how = rule.strategy === 'byField' ? (rule.byField!.pick ?? 'roundRobin') : rule.strategy
    if (how === 'leastLoad') {
      const least = Math.min(...people.map((p) => this.load(rule, p)))
      people = people.filter((p) => this.load(rule, p) === least)
      if (people.length === 1) return { owner: people[0], how }
      this.stats.ties++
    }
    return { owner: people[(this.turn(rule.id) - 1) % people.length], how }
  }

  /**
   * A record was created with owner `createdOwner` (then perhaps changed by hand, `lead.owner`):
   * the first applicable rule that yields someone decides; the owner changes only while it is
   * still the one the record was created with.
   */
  created(lead: ModelLead, createdOwner: string | null, today: string): ModelOutcome {
    this.leads.push(lead)
    for (const { rule, kind } of this.rules) {
      if (kind !== undefined && lead.kind !== kind) continue
      const chosen = this.choose(rule, lead, today)
      if (!chosen) {
        this.stats.fellThrough++
        continue
      }
      if (lead.owner !== createdOwner) {
        this.stats.handKept++
        return { owner: lead.owner, history: null }
      }
      if (chosen.how === 'fallback') this.stats.fallbacks++
      this.stats.assigned[rule.id] = (this.stats.assigned[rule.id] ?? 0) + 1
      lead.owner = chosen.owner
      return { owner: chosen.owner, history: `${rule.id}:${chosen.how}` }
    }
    return { owner: lead.owner, history: null }
  }
}

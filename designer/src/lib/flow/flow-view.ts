import { toLabel, type Locale } from '$metadata/labels'
import type { ApiLabel, ApiPerson, FlowStateView, TransitionView } from '$lib/api/flows'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A label the API sent, in `locale`: a string is already translated, an object picks the locale.
 * @example labelText({ en: 'Draft', ko: '초안' }, 'ko', 'draft') // '초안'
 */
export function labelText(value: ApiLabel, locale: Locale, fallback = ''): string {
  if (typeof value === 'string') return value || fallback
  return toLabel(value ?? undefined, locale, fallback)
}

/** A person the API named: `name` to show, or `id` to look up in the directory; null: nobody. */
export function toPerson(value: ApiPerson | undefined): { id?: string; name?: string } | null {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'string') return UUID.test(value) ? { id: value } : { name: value }
  const name = value.name ?? value.displayName
  return { id: value.id, name: name || undefined }
}

/** One step of the state stepper. */
export interface StepperItem {
  id: string
  label: string
  color?: string
  current: boolean
  /** A state the record already passed through in flow order (before the current one). */
  passed: boolean
  final: boolean
}

/**
 * The flow's states for the stepper: the others in flow order, the final ones last, the current
 * one marked. A current state that is final lights up among the finals.
 * @example stepperItems([{ id: 'done', final: true }, { id: 'draft' }], 'draft', 'en')[0].id // 'draft'
 */
export function stepperItems(
  states: FlowStateView[],
  current: string | undefined,
  locale: Locale,
): StepperItem[] {
  const ordered = [...states.filter((s) => !s.final), ...states.filter((s) => s.final)]
  const at = ordered.findIndex((s) => s.id === current)
  const currentFinal = at >= 0 && ordered[at].final === true
  return ordered.map((s, i) => ({
    id: s.id,
    label: labelText(s.label, locale, s.id),
    color: s.color,
    current: s.id === current,
    passed: !s.final && (currentFinal || (at >= 0 && i < at)),
    final: s.final === true,
  }))
}

/** The transitions to show: available ones, and unavailable ones only when a reason explains it. */
export function visibleTransitions(list: TransitionView[]): TransitionView[] {
  // Another state or a scope the caller lacks: not theirs to see. A guard or a running approval
  // is worth a disabled button with its reason.
  const SHOWN_UNAVAILABLE = new Set(['guard', 'pending'])
  return list.filter((t) => t.available || SHOWN_UNAVAILABLE.has(t.reason ?? ''))
}

/** Whether firing the transition asks for anything first (fields, a comment, picks). */
export function needsDialog(t: TransitionView): boolean {
  return (
    (t.requires?.length ?? 0) > 0 ||
    (t.inputs?.length ?? 0) > 0 ||
    t.comment === 'required' ||
    (t.picks?.length ?? 0) > 0 ||
    t.style === 'danger'
  )
}

/** A CSS colour from a state's colour name or code, for the stepper's dot. */
export function stateColor(color: string | undefined): string {
  if (!color) return 'var(--accent)'
  if (/^#[0-9a-f]{3,8}$/i.test(color)) return color
  const NAMED: Record<string, string> = {
    gray: '#6b7280',
    grey: '#6b7280',
    blue: '#2563eb',
    green: '#16a34a',
    red: '#dc2626',
    orange: '#ea580c',
    yellow: '#ca8a04',
    purple: '#7c3aed',
    teal: '#0d9488',
    cyan: '#0891b2',
    pink: '#db2777',
  }
  return NAMED[color.toLowerCase()] ?? 'var(--accent)'
}

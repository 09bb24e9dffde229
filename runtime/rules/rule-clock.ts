/**
 * The time `today` and `now` read while a rule is evaluated.
 *
 * json-logic-js is a module singleton and its operations receive no per-call context, so the
 * clock of the current evaluation sits in a module variable. That is safe because
 * `jsonLogic.apply` is synchronous: JavaScript runs one synchronous call to completion before any
 * other code (another request, a timer, an awaited promise) can run, so no other evaluation can
 * observe or replace the value between set and restore. The previous value is restored in
 * `finally`, which also makes nested evaluations correct.
 */

let scopedNow: Date | undefined

/** The instant rules see: the evaluation's injected clock, else the system time. */
export function ruleNow(): Date {
  return new Date(scopedNow ?? Date.now())
}

/** Runs a synchronous evaluation with `today` / `now` fixed at `now` (system time if omitted). */
export function withRuleNow<T>(now: Date | undefined, evaluate: () => T): T {
  const previous = scopedNow
  scopedNow = now
  try {
    return evaluate()
  } finally {
    scopedNow = previous
  }
}

/**
 * The approvals the demo starts through the flow engine once its records are loaded, so every
 * approver's inbox has live work and records show approval timelines. Each one is a new draft made
 * by its submitter, submitted, then decided by the people in `decisions`, in that order. Times are
 * hours before the instance's clock; dates are days from its day. The plan follows the shipped
 * flows: quotes above 15 % go to the manager and above 30 % then to the director, leave above 3
 * days to HR after the manager, expense claims to finance after the manager (10,000 and below
 * skip the director), sales orders above 500,000 to finance.
 */
export interface DemoApproval {
  /** A name for tests and logs (not stored). */
  key: string
  entity: 'quote' | 'leaveRequest' | 'expenseClaim' | 'salesOrder'
  /** Username of the person who makes and submits the record. */
  submitter: string
  /** Field values besides the customer and lines, which the loader picks for quotes and orders. */
  values: (day: (offset: number) => string) => Record<string, unknown>
  /** Order total to reach, in CNY incl. tax (orders): the loader sizes the first line to it. */
  minTotal?: number
  /** Hours before now the record was submitted. */
  hoursAgo: number
  comment?: string
  decisions: { by: string; action: 'approve' | 'reject'; comment: string; hoursAgo: number }[]
  /** Who holds the pending task afterwards; null when the approval has ended. */
  waitsFor: string | null
  /** The record's state afterwards. */
  endsIn: string
}

const quote = (discount: number) => (day: (offset: number) => string) => ({
  quoteDate: day(0),
  validUntil: day(30),
  discount,
  taxRate: 13,
})

/** The demo's approvals, in the order they are started. */
export const DEMO_APPROVALS: readonly DemoApproval[] = [
  {
    key: 'quote-18',
    entity: 'quote',
    submitter: 'rep_east1',
    values: quote(18),
    hoursAgo: 26,
    comment: 'Three-year framework deal; they asked for 18 %.',
    decisions: [],
    waitsFor: 'mgr_east',
    endsIn: 'pendingApproval',
  },
  {
    key: 'quote-22',
    entity: 'quote',
    submitter: 'rep_east2',
    values: quote(22),
    hoursAgo: 5,
    comment: 'Competitor quoted 20 % below list.',
    decisions: [],
    waitsFor: 'mgr_east',
    endsIn: 'pendingApproval',
  },
  {
    key: 'quote-35',
    entity: 'quote',
    submitter: 'rep_east1',
    values: quote(35),
    hoursAgo: 3,
    comment: 'Pilot site: 35 % to win the reference customer.',
    decisions: [],
    waitsFor: 'mgr_east',
    endsIn: 'pendingApproval',
  },
  {
    key: 'quote-32-director',
    entity: 'quote',
    submitter: 'rep_east2',
    values: quote(32),
    hoursAgo: 30,
    comment: 'Volume order for all their plants.',
    decisions: [
      { by: 'mgr_east', action: 'approve', comment: 'Worth it for the volume.', hoursAgo: 22 },
    ],
    waitsFor: 'director',
    endsIn: 'pendingApproval',
  },
  {
    key: 'quote-20-approved',
    entity: 'quote',
    submitter: 'rep_west1',
    values: quote(20),
    hoursAgo: 52,
    decisions: [
      { by: 'mgr_west', action: 'approve', comment: 'OK, renewal customer.', hoursAgo: 47 },
    ],
    waitsFor: null,
    endsIn: 'approved',
  },
  {
    key: 'quote-28-rejected',
    entity: 'quote',
    submitter: 'rep_east2',
    values: quote(28),
    hoursAgo: 49,
    decisions: [
      {
        by: 'mgr_east',
        action: 'reject',
        comment: '28 % is below our floor on the controllers: resubmit at 20 % at most.',
        hoursAgo: 41,
      },
    ],
    waitsFor: null,
    endsIn: 'notApproved',
  },
  {
    key: 'leave-2-days',
    entity: 'leaveRequest',
    submitter: 'rep_east1',
    values: (day) => ({
      leaveType: 'annual',
      startDate: day(9),
      endDate: day(10),
      reason: 'Family trip',
    }),
    hoursAgo: 4,
    decisions: [],
    waitsFor: 'mgr_east',
    endsIn: 'submitted',
  },
  {
    key: 'leave-1-day',
    entity: 'leaveRequest',
    submitter: 'rep_west1',
    values: (day) => ({
      leaveType: 'personal',
      startDate: day(3),
      endDate: day(3),
      reason: 'Moving house',
    }),
    hoursAgo: 7,
    decisions: [],
    waitsFor: 'mgr_west',
    endsIn: 'submitted',
  },
  {
    key: 'leave-4-days-hr',
    entity: 'leaveRequest',
    submitter: 'rep_east2',
    values: (day) => ({
      leaveType: 'annual',
      startDate: day(14),
      endDate: day(17),
      reason: 'Annual leave',
    }),
    hoursAgo: 28,
    decisions: [
      { by: 'mgr_east', action: 'approve', comment: 'Fine, cover arranged.', hoursAgo: 20 },
    ],
    waitsFor: 'hr1',
    endsIn: 'submitted',
  },
  {
    key: 'claim-manager',
    entity: 'expenseClaim',
    submitter: 'rep_west1',
    values: (day) => ({
      title: '客户午餐',
      category: 'meals',
      amount: { amount: 860, currency: 'CNY' },
      incurredOn: day(-2),
    }),
    hoursAgo: 6,
    decisions: [],
    waitsFor: 'mgr_west',
    endsIn: 'submitted',
  },
  {
    key: 'claim-finance',
    entity: 'expenseClaim',
    submitter: 'rep_east2',
    values: (day) => ({
      title: '上海—北京出差往返机票及住宿',
      category: 'travel',
      amount: { amount: 2380, currency: 'CNY' },
      incurredOn: day(-6),
    }),
    hoursAgo: 46,
    decisions: [{ by: 'mgr_east', action: 'approve', comment: 'Approved.', hoursAgo: 25 }],
    waitsFor: 'fin1',
    endsIn: 'submitted',
  },
  {
    key: 'order-finance',
    entity: 'salesOrder',
    submitter: 'rep_east1',
    values: (day) => ({ orderDate: day(0), deliveryDate: day(30), paymentTerms: 'net30' }),
    minTotal: 560_000,
    hoursAgo: 2,
    comment: 'Signed contract attached to the customer file.',
    decisions: [],
    waitsFor: 'fin1',
    endsIn: 'pendingApproval',
  },
]

/** Pending tasks each person has once the plan ran (people without any are left out). */
export function plannedPendingCounts(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const a of DEMO_APPROVALS)
    if (a.waitsFor) counts.set(a.waitsFor, (counts.get(a.waitsFor) ?? 0) + 1)
  return counts
}

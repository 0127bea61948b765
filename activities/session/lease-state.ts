// The life of a lease (a part of a held offer promised to one job) as one
// pure transition function: every change of a lease's state in the session
// goes through leaseTransition, so the states and what may follow what are
// read (and tested) in one place.
//
//   leased ──launch──▶ launching ──flush──▶ accepting ──accepted──▶ launched
//     │                    │                    ├──rejected──▶ expired
//     │                    │                    └──ambiguous─▶ uncertain
//     └─flush/offer-gone─▶ expired ◀─offer-gone─┘ (launching only)
//
// leased: out with its job, waiting for the job's launch; launching: its
// TaskInfo is in and waits for the offer's ACCEPT; accepting: part of an
// ACCEPT in flight; launched: the master took the ACCEPT; expired: never
// part of an ACCEPT the master took (the job's task may be placed again);
// uncertain: an ACCEPT with it failed ambiguously (ask the master).

export type LeaseState = 'leased' | 'launching' | 'accepting' | 'launched' | 'expired' | 'uncertain';

export type LeaseEvent =
  /** The job's launch (its TaskInfo) came in. */
  | 'launch'
  /** The offer goes out in an ACCEPT now. */
  | 'flush'
  /** The master took the ACCEPT. */
  | 'accepted'
  /** The master refused the ACCEPT (4xx): nothing was launched. */
  | 'rejected'
  /** The ACCEPT failed without an answer: the task may or may not exist. */
  | 'ambiguous'
  /** The offer was rescinded or died with the subscription before its ACCEPT. */
  | 'offer-gone';

const table: Record<LeaseState, Partial<Record<LeaseEvent, LeaseState>>> = {
  leased: { launch: 'launching', flush: 'expired', 'offer-gone': 'expired' },
  launching: { flush: 'accepting', 'offer-gone': 'expired' },
  // The ACCEPT is out: only its answer decides.
  accepting: { accepted: 'launched', rejected: 'expired', ambiguous: 'uncertain', 'offer-gone': 'accepting' },
  launched: {},
  expired: { flush: 'expired', 'offer-gone': 'expired' },
  uncertain: { 'offer-gone': 'uncertain' },
};

/** The state after `event`, or undefined when the event cannot happen in `state` (a bug to log, not to act on). */
export function leaseTransition(state: LeaseState, event: LeaseEvent): LeaseState | undefined {
  return table[state][event];
}

/** Whether a lease in this state still holds part of its offer (for UNIQUE placement). */
export function leaseOccupiesHost(state: LeaseState): boolean {
  return state === 'leased' || state === 'launching' || state === 'accepting' || state === 'launched';
}

/**
 * What goes wrong for order n. Every service reads its own part of the plan from the seed and
 * the order number alone, so all five processes agree and a run replays exactly.
 */
import { between, rngFor } from './random.ts';

export interface FaultPlan {
  /** Charge attempts that fail with a transient 503 before one succeeds (3 exhausts the retries). */
  transientFailures: number;
  /** The card is declined: a hard failure, never retried. */
  declined: boolean;
  /** Where the slow path strikes, and for how long. */
  slow?: { service: 'inventory' | 'payments'; ms: number };
}

export const PROBABILITY = { transient: 0.1, declined: 0.03, slow: 0.05 } as const;

/**
 * The first orders walk through every path once, so even a short run (or a test) shows a
 * retry, a decline and pool contention: two slow reservations hold both connections of
 * the inventory pool while the next orders queue for one.
 */
const OPENING: readonly FaultPlan[] = [
  { transientFailures: 0, declined: false, slow: { service: 'inventory', ms: 1200 } },
  { transientFailures: 1, declined: false },
  { transientFailures: 0, declined: false, slow: { service: 'inventory', ms: 1000 } },
  { transientFailures: 0, declined: true },
  { transientFailures: 2, declined: false, slow: { service: 'payments', ms: 400 } },
];

export function faultPlan(seed: number, orderNo: number): FaultPlan {
  if (orderNo >= 1 && orderNo <= OPENING.length) return OPENING[orderNo - 1];
  const rng = rngFor(seed, 'faults', orderNo);
  const plan: FaultPlan = { transientFailures: 0, declined: false };
  if (rng() < PROBABILITY.transient) {
    const r = rng();
    plan.transientFailures = r < 0.7 ? 1 : r < 0.95 ? 2 : 3;
  } else if (rng() < PROBABILITY.declined / (1 - PROBABILITY.transient)) {
    plan.declined = true;
  }
  if (rng() < PROBABILITY.slow)
    plan.slow = { service: rng() < 0.5 ? 'inventory' : 'payments', ms: between(rng, 300, 1500) };
  return plan;
}

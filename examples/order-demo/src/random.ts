/** Seeded randomness: a run with the same seed makes the same orders and the same faults. */
import type { Rng } from '@genba/model';
import { mulberry32 } from '@genba/model';

export { intBetween as between, mulberry32, pick, type Rng } from '@genba/model';

/**
 * A generator for one (seed, key, n) triple, so each service can draw the dice for order n
 * on its own and still agree with the others, whatever order the requests arrive in.
 */
export function rngFor(seed: number, key: string, n: number): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const c of `${key}#${n}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return mulberry32(h);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

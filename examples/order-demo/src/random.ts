/** Seeded randomness: a run with the same seed makes the same orders and the same faults. */

export type Rng = () => number;

/** mulberry32: a tiny 32-bit PRNG, plenty for demo traffic (never for secrets). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generator for one (seed, key, n) triple, so each service can draw the dice for order n
 * on its own and still agree with the others, whatever order the requests arrive in.
 */
export function rngFor(seed: number, key: string, n: number): Rng {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const c of `${key}#${n}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return mulberry32(h);
}

export const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

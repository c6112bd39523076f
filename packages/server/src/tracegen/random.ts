/** Seeded randomness for the generator: every choice comes from one `rng`, so a seed replays a trace. */

export type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for synthetic data, not for secrets. */
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

export const chance = (rng: Rng, p: number): boolean => rng() < p;

export const intBetween = (rng: Rng, lo: number, hi: number): number =>
  lo + Math.floor(rng() * (hi - lo + 1));

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function hex32(rng: Rng): string {
  return Math.floor(rng() * 4294967296)
    .toString(16)
    .padStart(8, '0');
}

/** Random hex id of `words` × 32 bits; never all zeros, which OTLP reserves for "no id". */
export function randomId(rng: Rng, words: number): string {
  let id = '';
  for (let i = 0; i < words; i++) id += hex32(rng);
  return /^0+$/.test(id) ? id.slice(0, -1) + '1' : id;
}

/**
 * A latency in nanoseconds around `medianMs`: log-normal, so most calls sit near the median
 * and a few take several times longer, as real services do.
 */
export function latency(rng: Rng, medianMs: number, spread = 0.35): bigint {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return BigInt(Math.max(1000, Math.round(medianMs * Math.exp(spread * normal) * 1e6)));
}

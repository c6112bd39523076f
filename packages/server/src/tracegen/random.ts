/** Seeded randomness for the generator: every choice comes from one `rng`, so a seed replays a trace. */
import type { Rng } from '@genba/model';

export { chance, intBetween, mulberry32, pick, type Rng } from '@genba/model';

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

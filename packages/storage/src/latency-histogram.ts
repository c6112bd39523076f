/**
 * The fixed log-scale histogram in which `dependencies` keeps the durations of each edge's child
 * calls. It is summed bucket by bucket (by SummingMergeTree on every engine, and by sumMap on
 * read), so any window's quantiles come from ingest-time data, and the same on every backend.
 *
 * Buckets: bucket 0 holds 0 ns; bucket i ≥ 1 holds the durations d (ns) with
 * 2^((i−2)/8) < d ≤ 2^((i−1)/8), i.e. i = 1 + ⌈8·log2 d⌉. Each bucket's upper bound is
 * γ = 2^(1/8) ≈ 1.0905 times its lower bound, and a bucket is read as 2·lo·hi / (lo + hi), which is
 * within α = (γ − 1) / (γ + 1) ≈ 4.33 % of every duration in it.
 *
 * Error bound: a quantile q read from a histogram is within α (plus half a nanosecond of rounding)
 * of the exact nearest-rank quantile of the same durations, the ⌈q·n⌉-th smallest, since that
 * duration lies in the bucket where the running count first reaches ⌈q·n⌉. (Edges come from
 * Math.log2, so a duration within about 1e−15 of an edge may land next door: a negligible excess.)
 *
 * Size: an Int64 duration lands in bucket ≤ 1 + 8·63 = 505 (UInt16 on disk). Only buckets that were
 * hit are stored, so a row costs about eight entries per doubling of its latency spread.
 */

export const BUCKETS_PER_DOUBLING = 8;
const GAMMA = 2 ** (1 / BUCKETS_PER_DOUBLING);

/** The largest relative error of a quantile read from a histogram: (γ − 1) / (γ + 1). */
export const RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

/** The bucket of a duration in nanoseconds; negative durations count as 0. */
export function bucketOf(durationNs: number): number {
  if (!(durationNs > 0)) return 0;
  return 1 + Math.max(0, Math.ceil(BUCKETS_PER_DOUBLING * Math.log2(durationNs)));
}

/** The value a bucket stands for, in nanoseconds: the point of least relative error within it. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  const hi = 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING);
  const lo = hi / GAMMA;
  return Math.round((2 * lo * hi) / (lo + hi));
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram given as parallel arrays of buckets and counts,
 * in nanoseconds; 0 when it is empty.
 */
export function histogramQuantile(buckets: readonly number[], counts: readonly number[], q: number): number {
  const order = buckets.map((_, i) => i).sort((a, b) => buckets[a] - buckets[b]);
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0) return 0;
  // The epsilon keeps a product such as 0.95·60 = 57.000…01 at rank 57.
  const rank = Math.max(1, Math.ceil(q * total - 1e-9));
  let seen = 0;
  for (const i of order) {
    seen += counts[i];
    if (seen >= rank) return bucketValue(buckets[i]);
  }
  return bucketValue(buckets[order[order.length - 1]]);
}

/** ns as a short human duration for reasons and reports: 850µs, 12.3ms, 1.52s. */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs < 1_000) return `${Math.round(ns)}ns`;
  if (abs < 1_000_000) return `${trim(ns / 1_000)}µs`;
  if (abs < 1_000_000_000) return `${trim(ns / 1_000_000)}ms`;
  return `${trim(ns / 1_000_000_000)}s`;
}

function trim(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

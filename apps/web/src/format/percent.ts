// Fractions (0–1) as percentages.

function trim(n: number, decimals: number): string {
  const t = n.toFixed(decimals);
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

/** 0.9329 → "93.3%"; a small non-zero share never shows as "0%". */
export function formatPercent(fraction: number, decimals = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  const pct = fraction * 100;
  const smallest = 10 ** -decimals;
  if (pct > 0 && pct < smallest) return `<${trim(smallest, decimals)}%`;
  return `${trim(pct, decimals)}%`;
}

/** A relative change with its sign: 0.123 → "+12.3%", -0.04 → "−4%", 0 → "±0%". */
export function formatChange(change: number, decimals = 1): string {
  if (!Number.isFinite(change)) return '–';
  const pct = Number((change * 100).toFixed(decimals));
  if (pct === 0) return '±0%';
  return `${pct > 0 ? '+' : '−'}${trim(Math.abs(pct), decimals)}%`;
}

/** A difference of two fractions in percentage points: 0.05 → "+5 pp". */
export function formatPoints(delta: number, decimals = 1): string {
  if (!Number.isFinite(delta)) return '–';
  const pp = Number((delta * 100).toFixed(decimals));
  if (pp === 0) return '±0 pp';
  return `${pp > 0 ? '+' : '−'}${trim(Math.abs(pp), decimals)} pp`;
}

// Durations are microseconds throughout the UI, as in the Jaeger API.

const UNIT_US: Record<string, number> = {
  ns: 0.001,
  us: 1,
  µs: 1,
  μs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

function trimNumber(n: number, decimals: number): string {
  const t = n.toFixed(decimals);
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}

/** 0µs, 850µs, 12.35ms, 1.2s, 2m 5s, 3h 4m */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const sign = us < 0 ? '-' : '';
  const v = Math.abs(us);
  // Each unit up to the value that would round to 1000 of it (999.996ms shows as 1s, not 1000ms).
  if (v < 999.5) return `${sign}${trimNumber(v, v < 10 ? 2 : 0)}µs`;
  if (v < 999_995) return `${sign}${trimNumber(v / 1_000, 2)}ms`;
  if (v < 59_995_000) return `${sign}${trimNumber(v / 1_000_000, 2)}s`;
  const totalSeconds = Math.round(v / 1_000_000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const sec = totalSeconds % 60;
    return sec === 0 ? `${sign}${m}m` : `${sign}${m}m ${sec}s`;
  }
  const totalMinutes = Math.round(v / 60_000_000);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return m === 0 ? `${sign}${h}h` : `${sign}${h}h ${m}m`;
}

/**
 * Parses Go-style durations as Jaeger's query service accepts them: "1.2s", "100ms", "500us",
 * "1m30s". Spaces are ignored. Returns microseconds, or null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const t = text.replace(/\s+/g, '');
  if (t === '') return null;
  if (t === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (!m) return null;
    total += Number(m[1]) * UNIT_US[m[2]];
    pos = re.lastIndex;
  }
  return total;
}

/** The text to send as minDuration/maxDuration: the user's text without spaces, µ spelled "us". */
export function durationParam(text: string): string | undefined {
  const t = text.replace(/\s+/g, '');
  if (t === '' || parseDuration(t) === null) return undefined;
  return t.replace(/[µμ]s/g, 'us');
}

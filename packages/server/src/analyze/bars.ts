/** Text bars and sparklines for the terminal reports: Unicode blocks, no colour, no width probing. */

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A horizontal bar `width` cells long at 1, drawn to an eighth of a cell; clamped to 0–1. */
export function bar(fraction: number, width = 30): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/**
 * One block per value, scaled between `min` and `max` (default: those of the values); `null`
 * (no data in that bucket) is a space, so gaps stay visible.
 */
export function sparkline(values: readonly (number | null)[], min?: number, max?: number): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return ' '.repeat(values.length);
  const lo = min ?? Math.min(...present);
  const hi = max ?? Math.max(...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      // A flat series sits mid-height rather than on the floor, which would read as "zero".
      if (hi <= lo) return LEVELS[3];
      const i = Math.round(((v - lo) / (hi - lo)) * (LEVELS.length - 1));
      return LEVELS[Math.min(LEVELS.length - 1, Math.max(0, i))];
    })
    .join('');
}

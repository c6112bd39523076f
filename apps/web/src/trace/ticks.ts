// The time axis: round tick steps (1, 2, 5 × 10^k µs) across a trace's duration.
import { formatDuration } from '../format/duration.ts';

export type Tick = { /** 0..1 across the axis */ fraction: number; label: string };

/** A step of 1, 2 or 5 × 10^k not smaller than `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** About `count` intervals; always includes 0. Labels are offsets from the trace start. */
export function timeTicks(durationUs: number, count = 5): Tick[] {
  if (!(durationUs > 0)) return [{ fraction: 0, label: formatDuration(0) }];
  const step = niceStep(durationUs / count);
  const ticks: Tick[] = [];
  for (let t = 0; t <= durationUs * 1.000001; t += step) {
    ticks.push({ fraction: t / durationUs, label: formatDuration(t) });
  }
  return ticks;
}

// Before/after figures judged: whether a change is an improvement, and how to write it.
import type { Delta } from '../api/genba-types.ts';
import { formatDuration } from '../format/duration.ts';
import { formatChange, formatPercent, formatPoints } from '../format/percent.ts';

export type Tone = 'better' | 'worse' | 'same';

/** Changes smaller than this fraction of the before value are noise, shown as neither. */
export const NOISE = 0.005;

/**
 * `lower`: less is better (times); `higher`: more is better (the value-added ratio).
 * A figure that appears (before 0) or vanishes is judged by its sign alone.
 */
export function deltaTone(d: Delta, better: 'lower' | 'higher'): Tone {
  if (d.delta === 0 || !Number.isFinite(d.delta)) return 'same';
  if (d.change !== null && Math.abs(d.change) < NOISE) return 'same';
  const up = d.delta > 0;
  return up === (better === 'higher') ? 'better' : 'worse';
}

/** A µs difference with its sign: "+1.2ms", "−300µs", "±0". */
export function formatDurationDelta(us: number): string {
  if (!Number.isFinite(us)) return '–';
  if (Math.round(us) === 0) return '±0';
  const text = formatDuration(Math.abs(us));
  return `${us > 0 ? '+' : '−'}${text}`;
}

/** The relative change, or what it is when there was nothing before. */
export function formatDeltaChange(d: Delta): string {
  if (d.change !== null) return formatChange(d.change);
  if (d.after === 0) return '±0%';
  return 'new';
}

export type DeltaText = { before: string; after: string; delta: string; change: string };

/** A µs delta as table text. */
export function durationDeltaText(d: Delta): DeltaText {
  return {
    before: formatDuration(d.before),
    after: formatDuration(d.after),
    delta: formatDurationDelta(d.delta),
    change: formatDeltaChange(d),
  };
}

/** A fraction delta (ratio, share) as table text: points, and the relative change. */
export function fractionDeltaText(d: Delta): DeltaText {
  return {
    before: formatPercent(d.before),
    after: formatPercent(d.after),
    delta: formatPoints(d.delta),
    change: formatDeltaChange(d),
  };
}

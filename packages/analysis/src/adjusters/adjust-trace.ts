/** The adjusters a reader applies to a stored trace, in Jaeger's order: dedupe, clock skew, sort. */
import type { Span } from '@genba/model';
import type { SkewAdjustment } from './clock-skew.ts';
import { adjustClockSkew } from './clock-skew.ts';
import { dedupeSpans } from './dedupe-spans.ts';
import { sortSpans } from './sort-spans.ts';

export interface AdjustedTrace {
  spans: Span[];
  skew: SkewAdjustment[];
}

export function adjustTrace(spans: readonly Span[]): AdjustedTrace {
  const { spans: unskewed, adjustments } = adjustClockSkew(dedupeSpans(spans));
  return { spans: sortSpans(unskewed), skew: adjustments };
}

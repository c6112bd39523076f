// The critical-path overlay of the waterfall: the API's sections grouped by row once, so that
// drawing a row is a lookup, whatever the trace's size.
import type { CriticalSection } from '../api/genba-types.ts';
import type { SpanRow } from './rows.ts';

/** One stretch of a span on the critical path, in µs from the trace's start. */
export type CriticalMark = { start: number; end: number };

export type CriticalOverlay = {
  /** per row index: the row's stretches on the path, in time order; undefined when it is off the path */
  byRow: (CriticalMark[] | undefined)[];
  /** rows with at least one stretch */
  spanCount: number;
  /** summed µs of the stretches that landed on a row */
  total: number;
  /** sections naming a span that no row shows */
  unmatched: number;
};

/** Groups the sections by row: one pass over the rows and one over the sections. */
export function criticalOverlay(
  rows: readonly SpanRow[],
  sections: readonly CriticalSection[],
  traceStart: number,
): CriticalOverlay {
  const rowOf = new Map<string, number>();
  for (const r of rows) if (!rowOf.has(r.span.spanID)) rowOf.set(r.span.spanID, r.index);
  const byRow: (CriticalMark[] | undefined)[] = new Array(rows.length);
  let spanCount = 0;
  let total = 0;
  let unmatched = 0;
  for (const s of sections) {
    const i = rowOf.get(s.spanID);
    if (i === undefined || !(s.endTime > s.startTime)) {
      if (i === undefined) unmatched++;
      continue;
    }
    let marks = byRow[i];
    if (marks === undefined) {
      marks = [];
      byRow[i] = marks;
      spanCount++;
    }
    marks.push({ start: s.startTime - traceStart, end: s.endTime - traceStart });
    total += s.endTime - s.startTime;
  }
  // The API answers in time order, so each row's list already is; sort only if it is not.
  for (const marks of byRow) {
    if (marks === undefined || marks.length < 2) continue;
    for (let k = 1; k < marks.length; k++) {
      if (marks[k].start < marks[k - 1].start) {
        marks.sort((a, b) => a.start - b.start);
        break;
      }
    }
  }
  return { byRow, spanCount, total, unmatched };
}

/** A stretch as CSS percentages of the timeline, at least a hairline wide. */
export function markBox(mark: CriticalMark, traceDuration: number): { left: number; width: number } {
  const d = traceDuration > 0 ? traceDuration : 1;
  return { left: (mark.start / d) * 100, width: Math.max(((mark.end - mark.start) / d) * 100, 0.1) };
}

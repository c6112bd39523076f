// The compare windows as the form edits them: four datetime-local texts, read back with checks.
import { fromLocalInput, toLocalInput } from './local-time.ts';
import type { CompareWindows } from './vs-params.ts';

export type CompareTexts = Record<'before' | 'after', Record<'start' | 'end', string>>;

export function compareTexts(w: CompareWindows): CompareTexts {
  return {
    before: { start: toLocalInput(w.before.start), end: toLocalInput(w.before.end) },
    after: { start: toLocalInput(w.after.start), end: toLocalInput(w.after.end) },
  };
}

/** The windows, or a message naming the first field that is wrong. */
export function parseCompareTexts(
  t: CompareTexts,
): { ok: true; windows: CompareWindows } | { ok: false; error: string } {
  const out = { before: { start: 0, end: 0 }, after: { start: 0, end: 0 } };
  for (const side of ['before', 'after'] as const) {
    for (const edge of ['start', 'end'] as const) {
      const us = fromLocalInput(t[side][edge]);
      if (us === null) {
        return { ok: false, error: `${side}: the ${edge} "${t[side][edge]}" is not a date and time` };
      }
      out[side][edge] = us;
    }
    if (out[side].start >= out[side].end) {
      return { ok: false, error: `${side}: the start must come before the end` };
    }
  }
  return { ok: true, windows: out };
}

// The value-stream page's state, kept in the URL:
// /value-stream?service=…&operation=…&lookback=1h[&beforeStart=…&beforeEnd=…&afterStart=…&afterEnd=…]
// The compare windows are epoch µs and appear only once the user has chosen them.
import type { TimeWindow } from '../api/genba-client.ts';
import { DEFAULT_LOOKBACK, LOOKBACKS, lookbackUs } from '../search/search-params.ts';

export type { TimeWindow };

export type CompareWindows = { before: TimeWindow; after: TimeWindow };

export type VsParams = {
  service: string;
  /** '' means every operation */
  operation: string;
  lookback: string;
  /** null: the previous period against this one */
  compare: CompareWindows | null;
};

const COMPARE_KEYS = ['beforeStart', 'beforeEnd', 'afterStart', 'afterEnd'] as const;

function epochMicros(text: string | null): number | null {
  if (text === null || !/^\d{1,19}$/.test(text)) return null;
  return Number(text);
}

export function vsFromUrl(search: string): VsParams {
  const p = new URLSearchParams(search);
  const lb = p.get('lookback');
  const [bs, be, as, ae] = COMPARE_KEYS.map((k) => epochMicros(p.get(k)));
  const compare =
    bs !== null && be !== null && as !== null && ae !== null && bs <= be && as <= ae
      ? { before: { start: bs, end: be }, after: { start: as, end: ae } }
      : null;
  return {
    service: p.get('service') ?? '',
    operation: p.get('operation') ?? '',
    lookback: lb && LOOKBACKS.some((l) => l.value === lb) ? lb : DEFAULT_LOOKBACK,
    compare,
  };
}

export function vsToUrl(v: {
  service: string;
  operation?: string;
  lookback?: string;
  compare?: CompareWindows | null;
}): string {
  const p = new URLSearchParams();
  if (v.service) p.set('service', v.service);
  if (v.operation) p.set('operation', v.operation);
  p.set('lookback', v.lookback ?? DEFAULT_LOOKBACK);
  if (v.compare) {
    p.set('beforeStart', String(Math.floor(v.compare.before.start)));
    p.set('beforeEnd', String(Math.floor(v.compare.before.end)));
    p.set('afterStart', String(Math.floor(v.compare.after.start)));
    p.set('afterEnd', String(Math.floor(v.compare.after.end)));
  }
  return `/value-stream?${p.toString()}`;
}

/** The lookback window ending at `nowUs`. */
export function lookbackWindow(lookback: string, nowUs: number): TimeWindow {
  const end = Math.floor(nowUs);
  return { start: end - lookbackUs(lookback), end };
}

/** The period of the same length just before `w`, against `w` itself. */
export function previousPeriod(w: TimeWindow): CompareWindows {
  const len = w.end - w.start;
  return { before: { start: w.start - len, end: w.start }, after: { start: w.start, end: w.end } };
}

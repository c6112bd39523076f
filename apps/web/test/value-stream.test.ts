import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Delta, TimeBucket } from '../src/api/genba-types.ts';
import { formatChange, formatPercent, formatPoints } from '../src/format/percent.ts';
import { matchRoute } from '../src/router/routes.ts';
import { categoryParts, rankComponents } from '../src/value-stream/categories.ts';
import { compareTexts, parseCompareTexts } from '../src/value-stream/compare-input.ts';
import {
  deltaTone,
  durationDeltaText,
  formatDeltaChange,
  formatDurationDelta,
  fractionDeltaText,
} from '../src/value-stream/deltas.ts';
import { fromLocalInput, toLocalInput } from '../src/value-stream/local-time.ts';
import { ratioChart } from '../src/value-stream/ratio-chart.ts';
import { lookbackWindow, previousPeriod, vsFromUrl, vsToUrl } from '../src/value-stream/vs-params.ts';

const delta = (before: number, after: number): Delta => ({
  before,
  after,
  delta: after - before,
  change: before !== 0 ? (after - before) / before : null,
});

test('categoryParts: fixed order, fractions of the sum, zeros when nothing was measured', () => {
  const parts = categoryParts({ processing: 600, waiting: 200, transport: 150, defect: 50 });
  assert.deepEqual(
    parts.map((p) => [p.category, p.us, p.fraction]),
    [
      ['processing', 600, 0.6],
      ['waiting', 200, 0.2],
      ['transport', 150, 0.15],
      ['defect', 50, 0.05],
    ],
  );
  assert.deepEqual(
    categoryParts({ processing: 0, waiting: 0, transport: 0, defect: 0 }).map((p) => p.fraction),
    [0, 0, 0, 0],
  );
});

test('rankComponents: most time first, ties by name, with shares', () => {
  assert.deepEqual(rankComponents({ b: 10, a: 10, orders: 80 }), [
    { component: 'orders', us: 80, fraction: 0.8 },
    { component: 'a', us: 10, fraction: 0.1 },
    { component: 'b', us: 10, fraction: 0.1 },
  ]);
  assert.deepEqual(rankComponents({}), []);
});

test('percentages, signed changes and percentage points', () => {
  assert.equal(formatPercent(0.9329), '93.3%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.0001), '<0.1%');
  assert.equal(formatPercent(Number.NaN), '–');
  assert.equal(formatChange(0.123), '+12.3%');
  assert.equal(formatChange(-0.04), '−4%');
  assert.equal(formatChange(0.00001), '±0%');
  assert.equal(formatPoints(0.05), '+5 pp');
  assert.equal(formatPoints(-0.031), '−3.1 pp');
  assert.equal(formatPoints(0), '±0 pp');
});

test('deltaTone: less time is better, a higher ratio is better, noise is neither', () => {
  assert.equal(deltaTone(delta(100, 80), 'lower'), 'better');
  assert.equal(deltaTone(delta(100, 130), 'lower'), 'worse');
  assert.equal(deltaTone(delta(0.5, 0.6), 'higher'), 'better');
  assert.equal(deltaTone(delta(0.6, 0.5), 'higher'), 'worse');
  assert.equal(deltaTone(delta(100, 100), 'lower'), 'same');
  assert.equal(deltaTone(delta(10_000, 10_040), 'lower'), 'same', '0.4% is noise');
  assert.equal(deltaTone(delta(0, 50), 'lower'), 'worse', 'time that appears');
  assert.equal(deltaTone(delta(50, 0), 'lower'), 'better', 'time that vanishes');
});

test('delta texts: durations with a sign, changes, and what is new', () => {
  assert.equal(formatDurationDelta(1_200), '+1.2ms');
  assert.equal(formatDurationDelta(-300), '−300µs');
  assert.equal(formatDurationDelta(0.2), '±0');
  assert.equal(formatDeltaChange(delta(0, 5)), 'new');
  assert.equal(formatDeltaChange(delta(0, 0)), '±0%');
  assert.equal(formatDeltaChange(delta(200, 150)), '−25%');
  assert.deepEqual(durationDeltaText(delta(2_000, 3_000)), {
    before: '2ms',
    after: '3ms',
    delta: '+1ms',
    change: '+50%',
  });
  assert.deepEqual(fractionDeltaText(delta(0.5, 0.6)), {
    before: '50%',
    after: '60%',
    delta: '+10 pp',
    change: '+20%',
  });
});

test('the page URL holds service, operation, lookback and chosen windows', () => {
  const compare = { before: { start: 100, end: 200 }, after: { start: 200, end: 300 } };
  const url = vsToUrl({ service: 'a b', operation: 'GET /x', lookback: '6h', compare });
  assert.equal(
    url,
    '/value-stream?service=a+b&operation=GET+%2Fx&lookback=6h&beforeStart=100&beforeEnd=200&afterStart=200&afterEnd=300',
  );
  assert.deepEqual(vsFromUrl(url.slice(url.indexOf('?'))), {
    service: 'a b',
    operation: 'GET /x',
    lookback: '6h',
    compare,
  });
  assert.equal(vsToUrl({ service: 'svc' }), '/value-stream?service=svc&lookback=1h');
  const bad = vsFromUrl('?service=s&lookback=3y&beforeStart=9&beforeEnd=1&afterStart=1&afterEnd=2');
  assert.equal(bad.lookback, '1h', 'an unknown lookback falls back to the default');
  assert.equal(bad.compare, null, 'a window that ends before it starts is ignored');
  assert.equal(vsFromUrl('?service=s&beforeStart=x&beforeEnd=1&afterStart=1&afterEnd=2').compare, null);
  assert.deepEqual(vsFromUrl(''), { service: '', operation: '', lookback: '1h', compare: null });
  assert.deepEqual(matchRoute('/value-stream'), { page: 'value-stream' });
  assert.deepEqual(matchRoute('/value-stream/'), { page: 'value-stream' });
});

test('the lookback window ends now; the previous period has the same length', () => {
  const w = lookbackWindow('15m', 10_000_000_000);
  assert.deepEqual(w, { start: 10_000_000_000 - 15 * 60_000_000, end: 10_000_000_000 });
  assert.deepEqual(previousPeriod({ start: 1000, end: 1600 }), {
    before: { start: 400, end: 1000 },
    after: { start: 1000, end: 1600 },
  });
});

test('datetime-local text to epoch µs and back, in local time', () => {
  const us = new Date(2025, 10, 21, 13, 11, 5).getTime() * 1000;
  assert.equal(toLocalInput(us), '2025-11-21T13:11:05');
  assert.equal(toLocalInput(us + 999_999), '2025-11-21T13:11:05', 'seconds, floored');
  assert.equal(fromLocalInput('2025-11-21T13:11:05'), us);
  assert.equal(fromLocalInput('2025-11-21T13:11'), us - 5_000_000);
  assert.equal(fromLocalInput('2025-11-21T13:11:05.25'), us + 250_000);
  assert.equal(fromLocalInput('2025-02-30T10:00'), null, 'no Feb 30');
  assert.equal(fromLocalInput('2025-11-21T24:00'), null);
  assert.equal(fromLocalInput('yesterday'), null);
  assert.equal(fromLocalInput(''), null);
});

test('compare texts are read back, with a message naming the wrong field', () => {
  const base = new Date(2025, 0, 1, 10, 0, 0).getTime() * 1000;
  const w = {
    before: { start: base, end: base + 3_600_000_000 },
    after: { start: base + 3_600_000_000, end: base + 7_200_000_000 },
  };
  const texts = compareTexts(w);
  assert.deepEqual(texts.before, { start: '2025-01-01T10:00:00', end: '2025-01-01T11:00:00' });
  assert.deepEqual(parseCompareTexts(texts), { ok: true, windows: w });
  const r = parseCompareTexts({ ...texts, after: { start: 'nope', end: texts.after.end } });
  assert.deepEqual(r, { ok: false, error: 'after: the start "nope" is not a date and time' });
  const backwards = parseCompareTexts({
    ...texts,
    before: { start: texts.before.end, end: texts.before.start },
  });
  assert.deepEqual(backwards, { ok: false, error: 'before: the start must come before the end' });
});

test('ratioChart: a point per bucket with traces, the line broken at empty buckets', () => {
  const bucket = (i: number, traceCount: number, ratio: number): TimeBucket => ({
    start: i * 10,
    end: i * 10 + 10,
    traceCount,
    categories: { processing: 0, waiting: 0, transport: 0, defect: 0 },
    valueAddedRatio: ratio,
  });
  const box = { width: 140, height: 120, left: 20, right: 20, top: 10, bottom: 10 };
  const c = ratioChart([bucket(0, 3, 1), bucket(1, 2, 0.5), bucket(2, 0, 0), bucket(3, 1, 0)], box);
  assert.equal(c.y0, 110);
  assert.equal(c.y1, 10);
  assert.deepEqual(
    c.points.map((p) => [p.x, p.y]),
    [
      [32.5, 10],
      [57.5, 60],
      [107.5, 110],
    ],
  );
  assert.equal(c.path, 'M32.5,10.0L57.5,60.0M107.5,110.0');
  assert.deepEqual(ratioChart([bucket(0, 0, 0)], box).points, []);
  assert.equal(ratioChart([], box).path, '');
});

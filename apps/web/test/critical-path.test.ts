import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CriticalSection } from '../src/api/genba-types.ts';
import { criticalOverlay, markBox } from '../src/trace/critical-path.ts';
import { buildRows } from '../src/trace/rows.ts';
import { sampleTrace, span } from './fixtures.ts';

const T0 = 1_000_000;
const section = (spanID: string, start: number, end: number): CriticalSection => ({
  spanID,
  startTime: T0 + start,
  endTime: T0 + end,
});

test('sections are grouped by row, in µs from the trace start', () => {
  // a 0..1000 ├ b 100..600 (├ d 200..300 ├ e 350..500) └ c 700..900; rows: a b d e c
  const rows = buildRows(sampleTrace().spans.map((s) => ({ ...s, startTime: s.startTime + T0 })));
  const path = [
    section('a', 0, 100),
    section('b', 100, 350),
    section('e', 350, 500),
    section('b', 500, 600),
    section('a', 600, 700),
    section('c', 700, 900),
    section('a', 900, 1000),
  ];
  const o = criticalOverlay(rows, path, T0);
  assert.deepEqual(o.byRow[0], [
    { start: 0, end: 100 },
    { start: 600, end: 700 },
    { start: 900, end: 1000 },
  ]);
  assert.deepEqual(o.byRow[1], [
    { start: 100, end: 350 },
    { start: 500, end: 600 },
  ]);
  assert.equal(o.byRow[2], undefined, 'd is off the path');
  assert.deepEqual(o.byRow[3], [{ start: 350, end: 500 }]);
  assert.deepEqual(o.byRow[4], [{ start: 700, end: 900 }]);
  assert.equal(o.spanCount, 4);
  assert.equal(o.total, 1000);
  assert.equal(o.unmatched, 0);
  assert.equal(o.byRow.length, rows.length);
});

test('unknown spans are counted, empty sections skipped, out-of-order sections sorted', () => {
  const rows = buildRows([
    span({ id: 'r', start: 0, duration: 100 }),
    span({ id: 'k', parent: 'r', start: 10, duration: 50 }),
  ]);
  const o = criticalOverlay(
    rows,
    [
      { spanID: 'r', startTime: 60, endTime: 100 },
      { spanID: 'ghost', startTime: 0, endTime: 5 },
      { spanID: 'r', startTime: 0, endTime: 10 },
      { spanID: 'k', startTime: 10, endTime: 10 },
    ],
    0,
  );
  assert.deepEqual(o.byRow[0], [
    { start: 0, end: 10 },
    { start: 60, end: 100 },
  ]);
  assert.equal(o.byRow[1], undefined);
  assert.equal(o.unmatched, 1);
  assert.equal(o.spanCount, 1);
  assert.equal(o.total, 50);
});

test('no sections: no row is marked', () => {
  const rows = buildRows(sampleTrace().spans);
  const o = criticalOverlay(rows, [], 0);
  assert.equal(o.spanCount, 0);
  assert.ok(o.byRow.every((m) => m === undefined));
});

test('markBox places a stretch in percent of the trace, never thinner than a hairline', () => {
  assert.deepEqual(markBox({ start: 250, end: 750 }, 1000), { left: 25, width: 50 });
  assert.deepEqual(markBox({ start: 500, end: 500 }, 1000), { left: 50, width: 0.1 });
  assert.deepEqual(markBox({ start: 0, end: 1 }, 0), { left: 0, width: 100 });
});

test('100k spans on a chain with 200k sections: grouped in well under 2 s', () => {
  const n = 100_000;
  const spans = Array.from({ length: n }, (_, i) =>
    span({ id: `s${i}`, parent: i === 0 ? undefined : `s${i - 1}`, start: i, duration: 2 * n - 2 * i }),
  );
  const rows = buildRows(spans);
  // Each span is on the path at its start and at its end, as in a chain of nested calls.
  const path: CriticalSection[] = [];
  for (let i = 0; i < n; i++) path.push({ spanID: `s${i}`, startTime: i, endTime: i + 1 });
  for (let i = n - 1; i >= 0; i--)
    path.push({ spanID: `s${i}`, startTime: 2 * n - i - 1, endTime: 2 * n - i });
  const started = performance.now();
  const o = criticalOverlay(rows, path, 0);
  const ms = performance.now() - started;
  console.log(`criticalOverlay: ${n} rows, ${path.length} sections in ${ms.toFixed(1)} ms`);
  assert.equal(o.spanCount, n);
  assert.equal(o.byRow[n - 1]?.length, 2);
  assert.ok(ms < 2000, `${ms} ms`);
});

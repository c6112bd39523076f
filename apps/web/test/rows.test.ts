import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildRows,
  collapseAll,
  collapseToDepth,
  revealRow,
  toggleCollapsed,
  treeDepth,
  visibleRows,
} from '../src/trace/rows.ts';
import { sampleTrace, span } from './fixtures.ts';

const ids = (rows: { span: { spanID: string } }[]) => rows.map((r) => r.span.spanID).join(',');

test('rows are the pre-order walk, siblings by start time', () => {
  const rows = buildRows(sampleTrace().spans);
  assert.equal(ids(rows), 'a,b,d,e,c');
  assert.deepEqual(
    rows.map((r) => r.depth),
    [0, 1, 2, 2, 1],
  );
  assert.deepEqual(
    rows.map((r) => r.parentIndex),
    [-1, 0, 1, 1, 0],
  );
  assert.deepEqual(
    rows.map((r) => r.childCount),
    [2, 2, 0, 0, 0],
  );
  assert.deepEqual(
    rows.map((r) => r.subtreeEnd),
    [5, 4, 3, 4, 5],
  );
  assert.deepEqual(
    rows.map((r) => r.index),
    [0, 1, 2, 3, 4],
  );
  assert.equal(treeDepth(rows), 3);
});

test('a span whose parent is missing is an orphan root, ordered with the other roots', () => {
  const rows = buildRows([
    span({ id: 'x', parent: 'gone', start: 50, duration: 10 }),
    span({ id: 'r', start: 0, duration: 100 }),
    span({ id: 'y', parent: 'x', start: 55, duration: 2 }),
  ]);
  assert.equal(ids(rows), 'r,x,y');
  assert.deepEqual(
    rows.map((r) => [r.depth, r.orphan]),
    [
      [0, false],
      [0, true],
      [1, false],
    ],
  );
});

test('FOLLOWS_FROM makes a child; CHILD_OF wins over an earlier FOLLOWS_FROM', () => {
  const s = span({ id: 'c', start: 5, duration: 1 });
  s.references = [
    { refType: 'FOLLOWS_FROM', traceID: s.traceID, spanID: 'b' },
    { refType: 'CHILD_OF', traceID: s.traceID, spanID: 'a' },
  ];
  const rows = buildRows([
    span({ id: 'a', start: 0, duration: 10 }),
    span({ id: 'b', parent: 'a', refType: 'FOLLOWS_FROM', start: 1, duration: 1 }),
    s,
  ]);
  assert.equal(ids(rows), 'a,b,c');
  assert.deepEqual(
    rows.map((r) => r.parentIndex),
    [-1, 0, 0],
  );
});

test('reference cycles and self references still show every span once', () => {
  const rows = buildRows([
    span({ id: 'p', parent: 'q', start: 10, duration: 1 }),
    span({ id: 'q', parent: 'p', start: 20, duration: 1 }),
    span({ id: 's', parent: 's', start: 0, duration: 1 }),
  ]);
  assert.equal(rows.length, 3);
  assert.equal(ids(rows), 's,p,q');
  assert.deepEqual(
    rows.map((r) => r.depth),
    [0, 0, 1],
  );
});

test('duplicate span ids keep every span', () => {
  const rows = buildRows([
    span({ id: 'a', start: 0, duration: 10 }),
    span({ id: 'a', start: 1, duration: 1 }),
    span({ id: 'b', parent: 'a', start: 2, duration: 1 }),
  ]);
  assert.equal(rows.length, 3);
  assert.equal(rows.filter((r) => r.span.spanID === 'a').length, 2);
});

test('collapsing hides the subtree and nothing else', () => {
  const rows = buildRows(sampleTrace().spans);
  let collapsed = toggleCollapsed(new Set(), 1); // b
  assert.equal(ids(visibleRows(rows, collapsed)), 'a,b,c');
  collapsed = toggleCollapsed(collapsed, 0); // a too
  assert.equal(ids(visibleRows(rows, collapsed)), 'a');
  collapsed = toggleCollapsed(collapsed, 0); // expand a: b stays collapsed
  assert.equal(ids(visibleRows(rows, collapsed)), 'a,b,c');
  collapsed = toggleCollapsed(collapsed, 1);
  assert.equal(ids(visibleRows(rows, collapsed)), 'a,b,d,e,c');
  assert.equal(collapsed.size, 0);
});

test('collapse all, collapse to a depth, reveal a row', () => {
  const rows = buildRows(sampleTrace().spans);
  const all = collapseAll(rows);
  assert.equal(ids(visibleRows(rows, all)), 'a');
  // expanding the root then shows one more level only
  assert.equal(ids(visibleRows(rows, toggleCollapsed(all, 0))), 'a,b,c');
  assert.equal(ids(visibleRows(rows, collapseToDepth(rows, 1))), 'a,b,c');
  assert.equal(ids(visibleRows(rows, revealRow(rows, all, 3))), 'a,b,d,e,c');
});

test('toggleCollapsed does not change its input', () => {
  const before = new Set([1]);
  const after = toggleCollapsed(before, 2);
  assert.deepEqual([...before], [1]);
  assert.deepEqual([...after].sort(), [1, 2]);
});

test('100k spans: a deep chain and a wide fan-out build without recursion, quickly', () => {
  const n = 100_000;
  const chain = Array.from({ length: n }, (_, i) =>
    span({ id: `s${i}`, parent: i ? `s${i - 1}` : undefined, start: i, duration: n - i }),
  );
  const t0 = performance.now();
  const rows = buildRows(chain);
  assert.equal(rows.length, n);
  assert.equal(rows[n - 1].depth, n - 1);
  assert.equal(rows[0].subtreeEnd, n);
  assert.equal(visibleRows(rows, new Set([10])).length, 11);

  const fan = Array.from({ length: n }, (_, i) =>
    span({ id: `f${i}`, parent: i ? 'f0' : undefined, start: (i * 7919) % n, duration: 1 }),
  );
  const wide = buildRows(fan);
  assert.equal(wide.length, n);
  assert.equal(wide[0].childCount, n - 1);
  for (let i = 2; i < n; i++) assert.ok(wide[i - 1].span.startTime <= wide[i].span.startTime);
  assert.ok(performance.now() - t0 < 3000, 'building 2×100k rows took too long');
});

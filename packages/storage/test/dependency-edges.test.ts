import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import { DependencyEdges, edgesToRowBinary } from '../src/dependency-edges.ts';
import { bucketOf } from '../src/latency-histogram.ts';
import { loadFixture } from './conformance.ts';

const [base] = loadFixture('basic.otlp.json');
const span = (spanId: string, parentSpanId: string, service: string): Span => ({
  ...base,
  spanId,
  parentSpanId,
  resource: { ...base.resource, attributes: { 'service.name': service } },
});
const id = (n: number) => n.toString(16).padStart(16, '0');

test('memory stays bounded: recent parents are found, parents far behind are forgotten', () => {
  const edges = new DependencyEdges(1000);
  edges.edges([span(id(1), '', 'old-parent')]);
  for (let i = 0; i < 100; i++) {
    const batch = Array.from({ length: 100 }, (_, k) => span(id(1_000_000 + i * 100 + k), '', 'filler'));
    edges.edges(batch);
  }
  assert.deepEqual(edges.edges([span(id(2), id(1), 'child')]), [], 'a parent 10,000 spans back is forgotten');
  edges.edges([span(id(3), '', 'recent-parent')]);
  const got = edges.edges([span(id(4), id(3), 'child')]);
  assert.deepEqual(
    got.map((e) => [e.parent, e.child, e.calls]),
    [['recent-parent', 'child', 1]],
  );
});

test('children waiting for a parent are bounded too, and the recent ones still meet it', () => {
  const edges = new DependencyEdges(1000);
  for (let i = 0; i < 5000; i++) edges.edges([span(id(10_000 + i), id(500_000 + i), 'child')]);
  assert.deepEqual(edges.edges([span(id(500_000), '', 'parent')]), [], 'the first orphan was dropped');
  const got = edges.edges([span(id(500_000 + 4999), '', 'parent')]);
  assert.deepEqual(
    got.map((e) => [e.parent, e.child, e.calls]),
    [['parent', 'child', 1]],
  );
});

test('each edge carries its child durations as histogram buckets, written as two RowBinary arrays', () => {
  const edges = new DependencyEdges();
  const timed = (spanId: string, parentSpanId: string, service: string, ns: bigint): Span => ({
    ...span(spanId, parentSpanId, service),
    endTimeUnixNano: base.startTimeUnixNano + ns,
  });
  const [e] = edges.edges([
    timed(id(1), '', 'parent', 10n),
    timed(id(2), id(1), 'child', 80_000_000n),
    timed(id(3), id(1), 'child', 80_000_001n),
    timed(id(4), id(1), 'child', 0n),
  ]);
  assert.deepEqual([...e.latency].sort(), [
    [0, 1],
    [bucketOf(80_000_000), 2],
  ]);
  e.latency.set(7, 2 ** 33 + 5);
  const bytes = edgesToRowBinary([e]);
  // The row ends with Array(UInt16) [0, 7, b] and Array(UInt64) [1, 2^33 + 5, 2].
  const tail = bytes.subarray(bytes.length - (1 + 3 * 2 + 1 + 3 * 8));
  assert.equal(tail[0], 3);
  assert.deepEqual(
    [0, 1, 2].map((i) => tail.readUInt16LE(1 + 2 * i)),
    [0, 7, bucketOf(80_000_000)],
  );
  assert.equal(tail[7], 3);
  assert.deepEqual(
    [0, 1, 2].map((i) => tail.readBigUInt64LE(8 + 8 * i)),
    [1n, 2n ** 33n + 5n, 2n],
  );
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adjustClockSkew, adjustTrace, dedupeSpans, sortSpans } from '@genba/analysis';
import { SpanKind } from '@genba/model';
import { EPOCH_NS, hexId, MS, spans } from './support/trace-builder.ts';

const at = (ms: number) => EPOCH_NS + BigInt(ms * MS);

describe('adjusters', () => {
  test('dedupe keeps one copy of a redelivered span, the richer one', () => {
    const [a] = spans([{ id: 'a', start: 0, end: 10 }]);
    const richer = { ...a, attributes: { extra: 'yes' } };
    const out = dedupeSpans([a, richer, a]);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].attributes, { extra: 'yes' });
  });

  test('a shared CLIENT/SERVER span id is split: the SERVER half gets a new id under the CLIENT', () => {
    const [server, client] = spans([
      { id: 'x', kind: 'SERVER', service: 'b', start: 2, end: 8 },
      { id: 'x', kind: 'CLIENT', service: 'a', start: 0, end: 10 },
    ]);
    const out = dedupeSpans([server, client]);
    assert.equal(out.length, 2);
    const c = out.find((s) => s.kind === SpanKind.CLIENT);
    const s = out.find((x) => x.kind === SpanKind.SERVER);
    assert.equal(c?.spanId, hexId('x'));
    assert.notEqual(s?.spanId, hexId('x'));
    assert.equal(s?.parentSpanId, hexId('x'));
  });

  test('clock skew: a remote child outside its parent moves to the middle of it, with its local subtree', () => {
    const input = spans([
      { id: 'call', service: 'a', kind: 'CLIENT', start: 0, end: 100, resource: { 'host.name': 'h1' } },
      {
        id: 'srv',
        parent: 'call',
        service: 'b',
        kind: 'SERVER',
        start: 500,
        end: 560,
        resource: { 'host.name': 'h2' },
      },
      { id: 'db', parent: 'srv', service: 'b', start: 510, end: 550, resource: { 'host.name': 'h2' } },
    ]);
    const { spans: out, adjustments } = adjustClockSkew(input);
    // (100 − 60) / 2 = 20 ms of network on each side.
    assert.equal(out[1].startTimeUnixNano, at(20));
    assert.equal(out[1].endTimeUnixNano, at(80));
    assert.equal(out[2].startTimeUnixNano, at(30));
    assert.deepEqual(
      adjustments.map((a) => a.shift),
      [BigInt(-480 * MS), BigInt(-480 * MS)],
    );
    assert.equal(input[1].startTimeUnixNano, at(500), 'the input is not changed');
  });

  test('clock skew leaves children that fit, and children on the same host', () => {
    const fits = spans([
      { id: 'call', service: 'a', kind: 'CLIENT', start: 0, end: 100, resource: { 'host.name': 'h1' } },
      {
        id: 'srv',
        parent: 'call',
        service: 'b',
        kind: 'SERVER',
        start: 10,
        end: 90,
        resource: { 'host.name': 'h2' },
      },
    ]);
    assert.equal(adjustClockSkew(fits).adjustments.length, 0);
    const sameHost = spans([
      { id: 'call', service: 'a', kind: 'CLIENT', start: 0, end: 100, resource: { 'host.name': 'h1' } },
      {
        id: 'srv',
        parent: 'call',
        service: 'b',
        kind: 'SERVER',
        start: 500,
        end: 560,
        resource: { 'host.name': 'h1' },
      },
    ]);
    assert.equal(adjustClockSkew(sameHost).adjustments.length, 0);
  });

  test('a child longer than its parent is only moved to start with it', () => {
    const input = spans([
      { id: 'call', service: 'a', kind: 'CLIENT', start: 100, end: 150 },
      { id: 'srv', parent: 'call', service: 'b', kind: 'SERVER', start: 40, end: 140 },
    ]);
    const { spans: out } = adjustClockSkew(input);
    assert.equal(out[1].startTimeUnixNano, at(100));
  });

  test('sort orders by start then id; adjustTrace runs all three', () => {
    const input = spans([
      { id: 'b', start: 5, end: 6 },
      { id: 'a', start: 5, end: 6 },
      { id: 'c', start: 1, end: 9 },
    ]);
    assert.deepEqual(
      sortSpans(input).map((s) => s.name),
      ['c', 'a', 'b'],
    );
    const adjusted = adjustTrace([...input, input[0]]);
    assert.deepEqual(
      adjusted.spans.map((s) => s.name),
      ['c', 'a', 'b'],
    );
  });

  test('parent links that loop do not hang the adjusters', () => {
    const input = spans([
      { id: 'a', parent: 'b', start: 0, end: 10 },
      { id: 'b', parent: 'a', start: 0, end: 10 },
    ]);
    assert.equal(adjustTrace(input).spans.length, 2);
  });
});

/**
 * The critical path must agree with jaeger-ui's. The vectors in fixtures/critical-path are data:
 * jaeger-ui's own nine cases (jaeger-N.json), re-expressed in Genba's output form (ascending,
 * touching sections of one span merged), and Genba's own edge cases. Each fixture's times are
 * microseconds after BASE_US; short span names become 16-hex ids here.
 * Properties over random trees then check the shape every path must have.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type CriticalPathSection, criticalPath } from '@genba/analysis';
import { emptyResource, emptyScope, emptySpan, type Span, SpanKind } from '@genba/model';
import fc from 'fast-check';

interface FixtureSpan {
  id: string;
  parent: string;
  kind: keyof typeof KINDS;
  start: number;
  end: number;
  links?: string[];
}

interface Fixture {
  name: string;
  description: string;
  spans: FixtureSpan[];
  expected: { span: string; start: number; end: number }[];
}

const KINDS = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
} as const;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
// A 2023 epoch in µs: nanosecond times then exceed 2^53, so any loss of bigint precision shows.
const BASE_US = 1_700_000_000_000_000n;
const BASE_NS = BASE_US * 1000n;
const FIXTURES = new URL('./fixtures/critical-path/', import.meta.url);

/** A short name as a span id: its UTF-8 bytes in hex, left-padded to 16 digits. */
function hexId(name: string): string {
  return Buffer.from(name, 'utf8').toString('hex').padStart(16, '0');
}

function modelSpan(
  id: string,
  parent: string,
  kind: SpanKind,
  start: bigint,
  end: bigint,
  links: string[] = [],
): Span {
  const span = emptySpan(emptyResource(), emptyScope());
  span.traceId = TRACE_ID;
  span.spanId = id;
  span.parentSpanId = parent;
  span.name = `op-${id}`;
  span.kind = kind;
  span.startTimeUnixNano = start;
  span.endTimeUnixNano = end;
  span.links = links.map((spanId) => ({
    traceId: TRACE_ID,
    spanId,
    traceState: '',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
  }));
  return span;
}

function fixtureSpans(fixture: Fixture): Span[] {
  const us = (t: number) => (BASE_US + BigInt(t)) * 1000n;
  return fixture.spans.map((s) =>
    modelSpan(
      hexId(s.id),
      s.parent === '' ? '' : hexId(s.parent),
      KINDS[s.kind],
      us(s.start),
      us(s.end),
      (s.links ?? []).map(hexId),
    ),
  );
}

/** Sections back in the fixture's terms; a time that is not a whole µs shows as a fraction. */
function readable(sections: CriticalPathSection[], names: Map<string, string>) {
  const us = (t: bigint) => Number(t - BASE_NS) / 1000;
  return sections.map((s) => ({ span: names.get(s.spanId) ?? s.spanId, start: us(s.start), end: us(s.end) }));
}

describe('critical path vectors', () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort();
  test('the fixtures are there', () => assert.ok(files.length >= 26, `only ${files.length} fixtures`));
  for (const file of files) {
    const fixture = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Fixture;
    test(`${file}: ${fixture.name}`, () => {
      const names = new Map(fixture.spans.map((s) => [hexId(s.id), s.id]));
      const got = readable(criticalPath(fixtureSpans(fixture)), names);
      assert.deepEqual(got, fixture.expected, fixture.description);
    });
  }
});

interface Node {
  parent: number;
  a: number;
  b: number;
  kind: SpanKind;
}

const kind = fc.constantFrom<SpanKind>(...Object.values(KINDS));
const node = fc.record({
  parent: fc.nat(),
  a: fc.nat({ max: 1_000_000 }),
  b: fc.nat({ max: 1_000_000 }),
  kind,
});
const root = fc.record({ offset: fc.nat({ max: 1_000_000 }), length: fc.nat({ max: 1_000_000 }), kind });

/**
 * One tree under one root. Node i hangs under an earlier node. With `nested`, its times fall inside
 * its parent's; otherwise they are anywhere around it, so children may overlap, outlive or miss it.
 */
function tree(r: { offset: number; length: number; kind: SpanKind }, nodes: Node[], nested: boolean): Span[] {
  const id = (i: number) => (i + 1).toString(16).padStart(16, '0');
  const start = BASE_NS + BigInt(r.offset);
  const spans = [modelSpan(id(0), '', r.kind, start, start + BigInt(r.length))];
  nodes.forEach((n, i) => {
    const parent = spans[n.parent % spans.length];
    let lo: bigint;
    let hi: bigint;
    if (nested) {
      const room = parent.endTimeUnixNano - parent.startTimeUnixNano + 1n;
      lo = parent.startTimeUnixNano + (BigInt(n.a) % room);
      hi = parent.startTimeUnixNano + (BigInt(n.b) % room);
    } else {
      lo = parent.startTimeUnixNano - 500_000n + BigInt(n.a);
      hi = parent.startTimeUnixNano - 500_000n + BigInt(n.b);
    }
    if (hi < lo) [lo, hi] = [hi, lo];
    spans.push(modelSpan(id(i + 1), parent.spanId, n.kind, lo, hi));
  });
  return spans;
}

/** What every path of a single tree must be: it tiles the root exactly, in order, once. */
function assertTilesRoot(spans: Span[], sections: CriticalPathSection[]): void {
  const [rootSpan] = spans;
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  let total = 0n;
  let previous: CriticalPathSection | undefined;
  for (const s of sections) {
    const span = byId.get(s.spanId);
    assert.ok(span, `section of unknown span ${s.spanId}`);
    assert.ok(s.start < s.end, 'an empty section');
    assert.ok(
      s.start >= span.startTimeUnixNano && s.end <= span.endTimeUnixNano,
      'a section outside its span',
    );
    assert.ok(
      s.start >= rootSpan.startTimeUnixNano && s.end <= rootSpan.endTimeUnixNano,
      'a section outside the root',
    );
    if (previous) {
      assert.ok(previous.end <= s.start, 'sections not ascending or overlapping');
      assert.ok(
        !(previous.spanId === s.spanId && previous.end === s.start),
        'touching sections of one span not merged',
      );
    }
    total += s.end - s.start;
    previous = s;
  }
  assert.equal(total, rootSpan.endTimeUnixNano - rootSpan.startTimeUnixNano, 'gap or double counting');
}

describe('critical path properties', () => {
  test('children within their parents: the path tiles the root', () => {
    fc.assert(
      fc.property(root, fc.array(node, { maxLength: 40 }), (r, nodes) => {
        const spans = tree(r, nodes, true);
        assertTilesRoot(spans, criticalPath(spans));
      }),
    );
  });

  test('children straying outside their parents are clipped or dropped: the path still tiles the root', () => {
    fc.assert(
      fc.property(root, fc.array(node, { maxLength: 40 }), (r, nodes) => {
        const spans = tree(r, nodes, false);
        assertTilesRoot(spans, criticalPath(spans));
      }),
    );
  });

  // jaeger-ui walks every root in turn: each contributes its own path, whatever the input order.
  test("several roots: each root's path, in any input order", () => {
    fc.assert(
      fc.property(root, fc.array(node, { maxLength: 20 }), (r, nodes) => {
        const first = tree(r, nodes, true);
        const later = tree({ ...r, offset: r.offset + r.length + 2_000_000 }, nodes, true).map((s) => ({
          ...s,
          spanId: `f${s.spanId.slice(1)}`,
          parentSpanId: s.parentSpanId === '' ? '' : `f${s.parentSpanId.slice(1)}`,
        }));
        const a = criticalPath([...first, ...later]);
        const b = criticalPath([...later, ...first]);
        assert.deepEqual(a, b);
        assert.deepEqual(a, [...criticalPath(first), ...criticalPath(later)]);
      }),
    );
  });
});

/** fast-check generators of model spans, covering every attribute type and the int64 edges. */
import type { Attributes, AttributeValue, Resource, Scope, Span, SpanEvent, SpanLink } from '@genba/model';
import fc from 'fast-check';

const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const optionalId = (bytes: number) => fc.oneof(fc.constant(''), hex(bytes));

/** Well-formed unicode (astral planes included); protobuf cannot carry lone surrogates. */
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 40, maxLength: 300 }) },
);
const key = text.filter((k) => k !== '__proto__');
/** fast-check may build objects without a prototype; the decoders never do. */
const plain = { noNullPrototype: true } as const;
const u32 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }));
const u64 = fc.oneof(
  fc.constant(0n),
  fc.constant(2n ** 64n - 1n),
  fc.bigInt({ min: 1_600_000_000_000_000_000n, max: 1_900_000_000_000_000_000n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);
const int64 = fc.oneof(
  fc.constantFrom(
    0n,
    -1n,
    2n ** 53n + 1n,
    -(2n ** 53n) - 1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    2n ** 32n,
    -(2n ** 31n),
  ),
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);

export const attributeValue: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'value' },
    text,
    fc.boolean(),
    int64,
    fc.double(),
    fc.uint8Array({ maxLength: 16 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }).map((kvlist) => ({ kvlist })),
  ),
})).value;

export const attributes: fc.Arbitrary<Attributes> = fc.dictionary(key, attributeValue, {
  maxKeys: 6,
  noNullPrototype: true,
});

const resource: fc.Arbitrary<Resource> = fc.record(
  {
    attributes,
    droppedAttributesCount: u32,
    schemaUrl: fc.oneof(fc.constant(''), text),
  },
  plain,
);

const scope: fc.Arbitrary<Scope> = fc.record(
  {
    name: text,
    version: text,
    attributes,
    droppedAttributesCount: u32,
    schemaUrl: fc.oneof(fc.constant(''), text),
  },
  plain,
);

const event: fc.Arbitrary<SpanEvent> = fc.record(
  {
    timeUnixNano: u64,
    name: text,
    attributes,
    droppedAttributesCount: u32,
  },
  plain,
);

const link: fc.Arbitrary<SpanLink> = fc.record(
  {
    traceId: optionalId(16),
    spanId: optionalId(8),
    traceState: text,
    attributes,
    droppedAttributesCount: u32,
    flags: u32,
  },
  plain,
);

type SpanFields = Omit<Span, 'resource' | 'scope'>;
const spanFields: fc.Arbitrary<SpanFields> = fc.record(
  {
    traceId: optionalId(16),
    spanId: optionalId(8),
    parentSpanId: optionalId(8),
    traceState: text,
    flags: u32,
    name: text,
    kind: fc.constantFrom(0, 1, 2, 3, 4, 5),
    startTimeUnixNano: u64,
    endTimeUnixNano: u64,
    attributes,
    droppedAttributesCount: u32,
    events: fc.array(event, { maxLength: 3 }),
    droppedEventsCount: u32,
    links: fc.array(link, { maxLength: 2 }),
    droppedLinksCount: u32,
    status: fc.record({ code: fc.constantFrom(0, 1, 2), message: text }, plain),
  },
  plain,
);

/** Spans sharing a few resource and scope objects, in mixed order, as a batcher would hand them over. */
export const spans: fc.Arbitrary<Span[]> = fc
  .record(
    {
      resources: fc.array(resource, { minLength: 1, maxLength: 3 }),
      scopes: fc.array(scope, { minLength: 1, maxLength: 3 }),
      spans: fc.array(fc.tuple(spanFields, fc.nat(), fc.nat()), { maxLength: 8 }),
    },
    plain,
  )
  .map(({ resources, scopes, spans }) =>
    spans.map(([f, r, s]) => ({
      ...f,
      resource: resources[r % resources.length],
      scope: scopes[s % scopes.length],
    })),
  );

/**
 * The order an encoder that groups by resource, then scope, puts spans in: by first sight of
 * the resource, then of the scope within it, then input order.
 */
export function groupedOrder(input: readonly Span[]): Span[] {
  const out: Span[][][] = [];
  const resources: Resource[] = [];
  const scopes: Scope[][] = [];
  for (const s of input) {
    let r = resources.indexOf(s.resource);
    if (r < 0) {
      r = resources.push(s.resource) - 1;
      scopes.push([]);
      out.push([]);
    }
    let c = scopes[r].indexOf(s.scope);
    if (c < 0) {
      c = scopes[r].push(s.scope) - 1;
      out[r].push([]);
    }
    out[r][c].push(s);
  }
  return out.flat(2);
}

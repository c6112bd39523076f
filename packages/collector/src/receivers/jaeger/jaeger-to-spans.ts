/**
 * Jaeger Thrift → model spans, by the rules of the OTel Collector's Jaeger translator
 * (pkg/translator/jaeger): ids from the 64-bit halves, the parent from `parentSpanId` or a
 * same-trace reference, other references as links, `span.kind` / `error` / `otel.status_*` tags
 * lifted into kind and status, logs as events named by their `event` field, µs → ns.
 * Spans with invalid ids are kept here; the caller splits them off (partitionValid).
 */
import {
  type Attributes,
  type AttributeValue,
  emptyResource,
  emptySpan,
  type Resource,
  type Scope,
  type Span,
  SpanKind,
  type SpanLink,
} from '@genba/model';
import { scopeOf, statusFrom } from './jaeger-tags.ts';
import {
  type JaegerBatch,
  type JaegerLog,
  type JaegerSpan,
  type JaegerSpanRef,
  type JaegerTag,
  SpanRefType,
  TagType,
} from './jaeger-thrift-decoder.ts';

const MAX_NANOS = 2n ** 63n - 1n;

/** An i64 as 16 lowercase hex digits of its unsigned value. */
export function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}

/** µs since the epoch → ns, clamped to what an Int64 of nanoseconds can hold. */
function nanos(micros: bigint): bigint {
  if (micros <= 0n) return 0n;
  const ns = micros * 1000n;
  return ns > MAX_NANOS ? MAX_NANOS : ns;
}

export function tagValue(tag: JaegerTag): AttributeValue {
  switch (tag.vType) {
    case TagType.STRING:
      return tag.vStr ?? '';
    case TagType.DOUBLE:
      return tag.vDouble ?? 0;
    case TagType.BOOL:
      return tag.vBool ?? false;
    case TagType.LONG:
      return tag.vLong ?? 0n;
    case TagType.BINARY:
      return tag.vBinary ?? new Uint8Array(0);
  }
  return `<Unknown Jaeger TagType ${tag.vType}>`;
}

/** A repeated key keeps its last value, as in the Collector. */
function putTags(tags: JaegerTag[], into: Attributes): Attributes {
  for (const tag of tags) {
    // `__proto__` must stay an ordinary key, not replace the record's prototype.
    if (tag.key === '__proto__')
      Object.defineProperty(into, tag.key, {
        value: tagValue(tag),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else into[tag.key] = tagValue(tag);
  }
  return into;
}

export function processResource(batch: JaegerBatch): Resource {
  const resource = emptyResource();
  const p = batch.process;
  if (!p) return resource;
  const attrs = resource.attributes;
  if (p.serviceName !== '') attrs['service.name'] = p.serviceName;
  putTags(p.tags, attrs);
  // The Collector renames two jaeger-client process tags to their OTel names.
  if (Object.hasOwn(attrs, 'hostname') && !Object.hasOwn(attrs, 'host.name')) {
    attrs['host.name'] = attrs.hostname;
    delete attrs.hostname;
  }
  if (Object.hasOwn(attrs, 'jaeger.version') && !Object.hasOwn(attrs, 'opencensus.exporterversion')) {
    attrs['opencensus.exporterversion'] = `Jaeger-${String(attrs['jaeger.version'])}`;
    delete attrs['jaeger.version'];
  }
  return resource;
}

function sameTrace(ref: JaegerSpanRef, span: JaegerSpan): boolean {
  return ref.traceIdLow === span.traceIdLow && ref.traceIdHigh === span.traceIdHigh;
}

/** `parentSpanId`, else the first same-trace CHILD_OF reference, else the first same-trace FOLLOWS_FROM. */
function parentOf(span: JaegerSpan): bigint {
  if (span.parentSpanId !== 0n) return span.parentSpanId;
  let followsFrom: bigint | undefined;
  for (const ref of span.references) {
    if (!sameTrace(ref, span)) continue;
    if (ref.refType === SpanRefType.CHILD_OF) return ref.spanId;
    if (ref.refType === SpanRefType.FOLLOWS_FROM) followsFrom ??= ref.spanId;
  }
  return followsFrom ?? 0n;
}

function linksOf(refs: JaegerSpanRef[], parent: bigint): SpanLink[] {
  const links: SpanLink[] = [];
  for (const ref of refs) {
    if (ref.refType === SpanRefType.CHILD_OF && ref.spanId === parent) continue;
    links.push({
      traceId: hex64(ref.traceIdHigh) + hex64(ref.traceIdLow),
      spanId: hex64(ref.spanId),
      traceState: '',
      attributes: {
        'opentracing.ref_type': ref.refType === SpanRefType.CHILD_OF ? 'child_of' : 'follows_from',
      },
      droppedAttributesCount: 0,
      flags: 0,
    });
  }
  return links;
}

const KINDS = new Map<string, SpanKind>([
  ['client', SpanKind.CLIENT],
  ['server', SpanKind.SERVER],
  ['producer', SpanKind.PRODUCER],
  ['consumer', SpanKind.CONSUMER],
  ['internal', SpanKind.INTERNAL],
]);

function eventOf(log: JaegerLog): Span['events'][number] {
  const attributes = putTags(log.fields, {});
  let name = '';
  const event = Object.hasOwn(attributes, 'event') ? attributes.event : undefined;
  if (typeof event === 'string') {
    name = event;
    delete attributes.event;
  } else if (Object.hasOwn(attributes, 'message') && typeof attributes.message === 'string') {
    // Not the Collector's rule: a log with only a message would otherwise be a nameless event.
    name = attributes.message;
  }
  return { timeUnixNano: nanos(log.timestamp), name, attributes, droppedAttributesCount: 0 };
}

function toSpan(js: JaegerSpan, resource: Resource, scope: Scope, attributes: Attributes): Span {
  const span = emptySpan(resource, scope);
  span.traceId = hex64(js.traceIdHigh) + hex64(js.traceIdLow);
  span.spanId = hex64(js.spanId);
  const parent = parentOf(js);
  if (parent !== 0n) span.parentSpanId = hex64(parent);
  span.name = js.operationName;
  span.startTimeUnixNano = nanos(js.startTime);
  span.endTimeUnixNano = nanos(js.startTime + (js.duration > 0n ? js.duration : 0n));
  if (Object.hasOwn(attributes, 'span.kind')) {
    const kind = attributes['span.kind'];
    span.kind = (typeof kind === 'string' && KINDS.get(kind)) || SpanKind.UNSPECIFIED;
    delete attributes['span.kind'];
  }
  span.status = statusFrom(attributes, span.kind);
  if (Object.hasOwn(attributes, 'w3c.tracestate')) {
    const traceState = attributes['w3c.tracestate'];
    span.traceState = typeof traceState === 'string' ? traceState : '';
    delete attributes['w3c.tracestate'];
  }
  span.attributes = attributes;
  span.events = js.logs.map(eventOf);
  span.links = linksOf(js.references, parent);
  return span;
}

/** One batch → spans sharing one resource, and one scope per instrumentation library named in tags. */
export function jaegerBatchToSpans(batch: JaegerBatch): Span[] {
  const resource = processResource(batch);
  const scopes = new Map<string, Scope>();
  const spans: Span[] = [];
  for (const js of batch.spans) {
    const attributes = putTags(js.tags, {});
    const { name, version } = scopeOf(attributes);
    const key = `${name}\u0000${version}`;
    let scope = scopes.get(key);
    if (!scope) {
      scope = { name, version, attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
      scopes.set(key, scope);
    }
    spans.push(toSpan(js, resource, scope, attributes));
  }
  return spans;
}

/**
 * Spans → ExportTraceServiceRequest protobuf, in one pass over a reused scratch buffer.
 * Fields at their proto3 default are left out; AnyValue members are always written (they
 * have presence). Length guesses: 3 bytes for ResourceSpans and ScopeSpans (up to 2 MiB),
 * 2 for a span, 1 for the small messages inside it.
 */
import type { Span, SpanEvent, SpanLink } from '@genba/model';
import { writeAttributes } from './encode-attributes.ts';
import type { ResourceGroup, ScopeGroup } from './group-spans.ts';
import { groupSpans } from './group-spans.ts';
import { ProtoWriter } from './proto-writer.ts';

// Bytes per span in the last batch, plus an eighth: sizes the next buffer so it rarely grows.
let bytesPerSpan = 512;

export function encodeTraceRequest(spans: readonly Span[]): Uint8Array {
  const w = new ProtoWriter(spans.length * bytesPerSpan + 1024);
  for (const g of groupSpans(spans)) writeResourceSpans(w, g);
  if (spans.length > 0)
    bytesPerSpan = Math.min(1 << 16, Math.max(64, Math.ceil((w.pos / spans.length) * 1.125)));
  return w.finish();
}

function writeResourceSpans(w: ProtoWriter, g: ResourceGroup): void {
  const resourceSpans = w.begin(10, 3);
  const r = g.resource;
  const resource = w.begin(10, 2);
  writeAttributes(w, 10, r.attributes, 0);
  if (r.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 16;
    w.varint(r.droppedAttributesCount >>> 0);
  }
  w.end(resource, 2);
  for (const s of g.scopes) writeScopeSpans(w, s);
  if (r.schemaUrl !== '') w.string(26, r.schemaUrl);
  w.end(resourceSpans, 3);
}

function writeScopeSpans(w: ProtoWriter, g: ScopeGroup): void {
  const scopeSpans = w.begin(18, 3);
  const s = g.scope;
  const scope = w.begin(10, 1);
  if (s.name !== '') w.string(10, s.name);
  if (s.version !== '') w.string(18, s.version);
  writeAttributes(w, 26, s.attributes, 0);
  if (s.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 32;
    w.varint(s.droppedAttributesCount >>> 0);
  }
  w.end(scope, 1);
  for (const span of g.spans) writeSpan(w, span);
  if (s.schemaUrl !== '') w.string(26, s.schemaUrl);
  w.end(scopeSpans, 3);
}

function writeSpan(w: ProtoWriter, s: Span): void {
  const span = w.begin(18, 2);
  if (s.traceId !== '') w.hexId(10, s.traceId, 32, 'span.traceId', 0);
  if (s.spanId !== '') w.hexId(18, s.spanId, 16, 'span.spanId', -1);
  if (s.traceState !== '') w.string(26, s.traceState);
  if (s.parentSpanId !== '') w.hexId(34, s.parentSpanId, 16, 'span.parentSpanId', 1);
  if (s.name !== '') w.key(42, s.name); // span names are low-cardinality by OTel's rules
  const buf = w.buf;
  if (s.kind !== 0) {
    buf[w.pos++] = 48;
    w.varint(s.kind >>> 0);
  }
  if (s.startTimeUnixNano !== 0n) {
    buf[w.pos++] = 57;
    w.fixed64(s.startTimeUnixNano);
  }
  if (s.endTimeUnixNano !== 0n) {
    buf[w.pos++] = 65;
    w.fixed64(s.endTimeUnixNano);
  }
  writeAttributes(w, 74, s.attributes, 0);
  // The attributes may have grown the buffer: from here on, index w.buf afresh.
  if (s.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 80;
    w.varint(s.droppedAttributesCount >>> 0);
  }
  for (const e of s.events) writeEvent(w, e);
  if (s.droppedEventsCount !== 0) {
    w.buf[w.pos++] = 96;
    w.varint(s.droppedEventsCount >>> 0);
  }
  for (const l of s.links) writeLink(w, l);
  if (s.droppedLinksCount !== 0) {
    w.buf[w.pos++] = 112;
    w.varint(s.droppedLinksCount >>> 0);
  }
  const status = s.status;
  if (status.code !== 0 || status.message !== '') {
    const at = w.begin(122, 1);
    if (status.message !== '') w.string(18, status.message);
    if (status.code !== 0) {
      w.buf[w.pos++] = 24;
      w.varint(status.code >>> 0);
    }
    w.end(at, 1);
  }
  if (s.flags !== 0) {
    w.buf[w.pos++] = 133;
    w.buf[w.pos++] = 1;
    w.fixed32(s.flags >>> 0);
  }
  w.end(span, 2);
}

function writeEvent(w: ProtoWriter, e: SpanEvent): void {
  const event = w.begin(90, 1);
  if (e.timeUnixNano !== 0n) {
    w.buf[w.pos++] = 9;
    w.fixed64(e.timeUnixNano);
  }
  if (e.name !== '') w.key(18, e.name);
  writeAttributes(w, 26, e.attributes, 0);
  if (e.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 32;
    w.varint(e.droppedAttributesCount >>> 0);
  }
  w.end(event, 1);
}

function writeLink(w: ProtoWriter, l: SpanLink): void {
  const link = w.begin(106, 1);
  if (l.traceId !== '') w.hexId(10, l.traceId, 32, 'link.traceId', -1);
  if (l.spanId !== '') w.hexId(18, l.spanId, 16, 'link.spanId', -1);
  if (l.traceState !== '') w.string(26, l.traceState);
  writeAttributes(w, 34, l.attributes, 0);
  if (l.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 40;
    w.varint(l.droppedAttributesCount >>> 0);
  }
  if (l.flags !== 0) {
    w.buf[w.pos++] = 53;
    w.fixed32(l.flags >>> 0);
  }
  w.end(link, 1);
}

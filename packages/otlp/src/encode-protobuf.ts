/**
 * Spans → ExportTraceServiceRequest protobuf, in one exactly-sized buffer. Fields at their
 * proto3 default are left out; oneof members of AnyValue are always written (they have presence).
 */
import type { Resource, Scope, Span, SpanEvent, SpanLink, Status } from '@genba/model';
import { attributesSize, writeAttributes } from './encode-attributes.ts';
import type { ResourceGroup, ScopeGroup } from './group-spans.ts';
import { groupSpans } from './group-spans.ts';
import { hexIdSize, messageSize, ProtoWriter, SizeTable, stringSize, varintSize } from './proto-writer.ts';

// Encoding is synchronous, so one table serves every call.
const table = new SizeTable();

export function encodeTraceRequest(spans: readonly Span[]): Uint8Array {
  const groups = groupSpans(spans);
  const t = table;
  t.n = 0;
  let total = 0;
  for (const g of groups) {
    const slot = t.reserve();
    total += 1 + nested(t, resourceSpansSize(t, g), slot);
  }
  const w = new ProtoWriter(total, t);
  for (const g of groups) {
    w.message(10);
    writeResourceSpans(w, g);
  }
  // The two passes must agree; a gap would be a bug here, never a property of the input.
  if (w.pos !== total) throw new Error(`OTLP encoder wrote ${w.pos} bytes, measured ${total}`);
  return w.buf;
}

/** Records a nested message's body size in the slot reserved before it was measured. */
function nested(t: SizeTable, body: number, slot: number): number {
  t.a[slot] = body;
  return messageSize(body);
}

function resourceSpansSize(t: SizeTable, g: ResourceGroup): number {
  const resourceSlot = t.reserve();
  let n = 1 + nested(t, resourceSize(t, g.resource), resourceSlot);
  for (const s of g.scopes) {
    const scopeSlot = t.reserve();
    n += 1 + nested(t, scopeSpansSize(t, s), scopeSlot);
  }
  if (g.resource.schemaUrl !== '') n += 1 + stringSize(t, g.resource.schemaUrl);
  return n;
}

function writeResourceSpans(w: ProtoWriter, g: ResourceGroup): void {
  w.message(10);
  writeAttributes(w, 10, g.resource.attributes);
  if (g.resource.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 16;
    w.varint(g.resource.droppedAttributesCount >>> 0);
  }
  for (const s of g.scopes) {
    w.message(18);
    writeScopeSpans(w, s);
  }
  if (g.resource.schemaUrl !== '') {
    w.buf[w.pos++] = 26;
    w.string(g.resource.schemaUrl);
  }
}

function resourceSize(t: SizeTable, r: Resource): number {
  let n = attributesSize(t, r.attributes, 0);
  if (r.droppedAttributesCount !== 0) n += 1 + varintSize(r.droppedAttributesCount >>> 0);
  return n;
}

function scopeSpansSize(t: SizeTable, g: ScopeGroup): number {
  const scopeSlot = t.reserve();
  let n = 1 + nested(t, scopeSize(t, g.scope), scopeSlot);
  for (const span of g.spans) {
    const slot = t.reserve();
    n += 1 + nested(t, spanSize(t, span), slot);
  }
  if (g.scope.schemaUrl !== '') n += 1 + stringSize(t, g.scope.schemaUrl);
  return n;
}

function writeScopeSpans(w: ProtoWriter, g: ScopeGroup): void {
  const scope = g.scope;
  w.message(10);
  if (scope.name !== '') {
    w.buf[w.pos++] = 10;
    w.string(scope.name);
  }
  if (scope.version !== '') {
    w.buf[w.pos++] = 18;
    w.string(scope.version);
  }
  writeAttributes(w, 26, scope.attributes);
  if (scope.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 32;
    w.varint(scope.droppedAttributesCount >>> 0);
  }
  for (const span of g.spans) {
    w.message(18);
    writeSpan(w, span);
  }
  if (scope.schemaUrl !== '') {
    w.buf[w.pos++] = 26;
    w.string(scope.schemaUrl);
  }
}

function scopeSize(t: SizeTable, s: Scope): number {
  let n = 0;
  if (s.name !== '') n += 1 + stringSize(t, s.name);
  if (s.version !== '') n += 1 + stringSize(t, s.version);
  n += attributesSize(t, s.attributes, 0);
  if (s.droppedAttributesCount !== 0) n += 1 + varintSize(s.droppedAttributesCount >>> 0);
  return n;
}

function spanSize(t: SizeTable, s: Span): number {
  let n = 0;
  if (s.traceId !== '') n += 1 + hexIdSize(s.traceId, 32, 'span.traceId');
  if (s.spanId !== '') n += 1 + hexIdSize(s.spanId, 16, 'span.spanId');
  if (s.traceState !== '') n += 1 + stringSize(t, s.traceState);
  if (s.parentSpanId !== '') n += 1 + hexIdSize(s.parentSpanId, 16, 'span.parentSpanId');
  if (s.name !== '') n += 1 + stringSize(t, s.name);
  if (s.kind !== 0) n += 1 + varintSize(s.kind >>> 0);
  if (s.startTimeUnixNano !== 0n) n += 9;
  if (s.endTimeUnixNano !== 0n) n += 9;
  n += attributesSize(t, s.attributes, 0);
  if (s.droppedAttributesCount !== 0) n += 1 + varintSize(s.droppedAttributesCount >>> 0);
  for (const e of s.events) {
    const slot = t.reserve();
    n += 1 + nested(t, eventSize(t, e), slot);
  }
  if (s.droppedEventsCount !== 0) n += 1 + varintSize(s.droppedEventsCount >>> 0);
  for (const l of s.links) {
    const slot = t.reserve();
    n += 1 + nested(t, linkSize(t, l), slot);
  }
  if (s.droppedLinksCount !== 0) n += 1 + varintSize(s.droppedLinksCount >>> 0);
  if (hasStatus(s.status)) {
    const slot = t.reserve();
    n += 1 + nested(t, statusSize(t, s.status), slot);
  }
  if (s.flags !== 0) n += 6;
  return n;
}

function writeSpan(w: ProtoWriter, s: Span): void {
  const buf = w.buf;
  if (s.traceId !== '') {
    buf[w.pos++] = 10;
    w.hexId(s.traceId, 'span.traceId');
  }
  if (s.spanId !== '') {
    buf[w.pos++] = 18;
    w.hexId(s.spanId, 'span.spanId');
  }
  if (s.traceState !== '') {
    buf[w.pos++] = 26;
    w.string(s.traceState);
  }
  if (s.parentSpanId !== '') {
    buf[w.pos++] = 34;
    w.hexId(s.parentSpanId, 'span.parentSpanId');
  }
  if (s.name !== '') {
    buf[w.pos++] = 42;
    w.string(s.name);
  }
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
  writeAttributes(w, 74, s.attributes);
  if (s.droppedAttributesCount !== 0) {
    buf[w.pos++] = 80;
    w.varint(s.droppedAttributesCount >>> 0);
  }
  for (const e of s.events) {
    w.message(90);
    writeEvent(w, e);
  }
  if (s.droppedEventsCount !== 0) {
    buf[w.pos++] = 96;
    w.varint(s.droppedEventsCount >>> 0);
  }
  for (const l of s.links) {
    w.message(106);
    writeLink(w, l);
  }
  if (s.droppedLinksCount !== 0) {
    buf[w.pos++] = 112;
    w.varint(s.droppedLinksCount >>> 0);
  }
  if (hasStatus(s.status)) {
    w.message(122);
    writeStatus(w, s.status);
  }
  if (s.flags !== 0) {
    buf[w.pos++] = 133;
    buf[w.pos++] = 1;
    w.fixed32(s.flags >>> 0);
  }
}

function eventSize(t: SizeTable, e: SpanEvent): number {
  let n = e.timeUnixNano !== 0n ? 9 : 0;
  if (e.name !== '') n += 1 + stringSize(t, e.name);
  n += attributesSize(t, e.attributes, 0);
  if (e.droppedAttributesCount !== 0) n += 1 + varintSize(e.droppedAttributesCount >>> 0);
  return n;
}

function writeEvent(w: ProtoWriter, e: SpanEvent): void {
  if (e.timeUnixNano !== 0n) {
    w.buf[w.pos++] = 9;
    w.fixed64(e.timeUnixNano);
  }
  if (e.name !== '') {
    w.buf[w.pos++] = 18;
    w.string(e.name);
  }
  writeAttributes(w, 26, e.attributes);
  if (e.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 32;
    w.varint(e.droppedAttributesCount >>> 0);
  }
}

function linkSize(t: SizeTable, l: SpanLink): number {
  let n = 0;
  if (l.traceId !== '') n += 1 + hexIdSize(l.traceId, 32, 'link.traceId');
  if (l.spanId !== '') n += 1 + hexIdSize(l.spanId, 16, 'link.spanId');
  if (l.traceState !== '') n += 1 + stringSize(t, l.traceState);
  n += attributesSize(t, l.attributes, 0);
  if (l.droppedAttributesCount !== 0) n += 1 + varintSize(l.droppedAttributesCount >>> 0);
  if (l.flags !== 0) n += 5;
  return n;
}

function writeLink(w: ProtoWriter, l: SpanLink): void {
  if (l.traceId !== '') {
    w.buf[w.pos++] = 10;
    w.hexId(l.traceId, 'link.traceId');
  }
  if (l.spanId !== '') {
    w.buf[w.pos++] = 18;
    w.hexId(l.spanId, 'link.spanId');
  }
  if (l.traceState !== '') {
    w.buf[w.pos++] = 26;
    w.string(l.traceState);
  }
  writeAttributes(w, 34, l.attributes);
  if (l.droppedAttributesCount !== 0) {
    w.buf[w.pos++] = 40;
    w.varint(l.droppedAttributesCount >>> 0);
  }
  if (l.flags !== 0) {
    w.buf[w.pos++] = 53;
    w.fixed32(l.flags >>> 0);
  }
}

function hasStatus(s: Status): boolean {
  return s.code !== 0 || s.message !== '';
}

function statusSize(t: SizeTable, s: Status): number {
  let n = s.message !== '' ? 1 + stringSize(t, s.message) : 0;
  if (s.code !== 0) n += 1 + varintSize(s.code >>> 0);
  return n;
}

function writeStatus(w: ProtoWriter, s: Status): void {
  if (s.message !== '') {
    w.buf[w.pos++] = 18;
    w.string(s.message);
  }
  if (s.code !== 0) {
    w.buf[w.pos++] = 24;
    w.varint(s.code >>> 0);
  }
}

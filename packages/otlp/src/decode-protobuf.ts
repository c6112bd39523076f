/**
 * ExportTraceServiceRequest (or TracesData, which has the same shape) → flat spans.
 * Each ResourceSpans makes one Resource object and each ScopeSpans one Scope object,
 * shared by reference by their spans. They are created before their fields are read,
 * because protobuf lets `resource` and `schema_url` come after the spans.
 */
import type { Resource, Scope, Span, SpanEvent, SpanKind, SpanLink, Status, StatusCode } from '@genba/model';
import { emptySpan } from '@genba/model';
import { readKeyValue } from './decode-attributes.ts';
import { protoError } from './errors.ts';
import {
  EVENT,
  LINK,
  REQUEST,
  RESOURCE,
  RESOURCE_SPANS,
  SCOPE,
  SCOPE_SPANS,
  SPAN,
  STATUS,
  skipOther,
} from './fields.ts';
import { ProtoReader } from './proto-reader.ts';

export function decodeTraceRequest(bytes: Uint8Array): Span[] {
  const r = new ProtoReader(bytes);
  const end = bytes.length;
  const out: Span[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) readResourceSpans(r, end, out);
    else skipOther(r, tag, end, at, REQUEST);
  }
  return out;
}

function readResourceSpans(r: ProtoReader, limit: number, out: Span[]): void {
  const end = r.lenEnd(limit);
  const resource: Resource = { attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 18) readScopeSpans(r, end, resource, out);
    else if (tag === 10) readResource(r, end, resource);
    else if (tag === 26) resource.schemaUrl = r.string(end);
    else skipOther(r, tag, end, at, RESOURCE_SPANS);
  }
  r.finish(end, 'ResourceSpans');
}

function readResource(r: ProtoReader, limit: number, resource: Resource): void {
  const end = r.lenEnd(limit);
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) readKeyValue(r, end, resource.attributes, 0);
    else if (tag === 16) resource.droppedAttributesCount = r.varint32() >>> 0;
    else skipOther(r, tag, end, at, RESOURCE);
  }
  r.finish(end, 'Resource');
}

function readScopeSpans(r: ProtoReader, limit: number, resource: Resource, out: Span[]): void {
  const end = r.lenEnd(limit);
  const scope: Scope = { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 18) out.push(readSpan(r, end, resource, scope));
    else if (tag === 10) readScope(r, end, scope);
    else if (tag === 26) scope.schemaUrl = r.string(end);
    else skipOther(r, tag, end, at, SCOPE_SPANS);
  }
  r.finish(end, 'ScopeSpans');
}

function readScope(r: ProtoReader, limit: number, scope: Scope): void {
  const end = r.lenEnd(limit);
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) scope.name = r.string(end);
    else if (tag === 18) scope.version = r.string(end);
    else if (tag === 26) readKeyValue(r, end, scope.attributes, 0);
    else if (tag === 32) scope.droppedAttributesCount = r.varint32() >>> 0;
    else skipOther(r, tag, end, at, SCOPE);
  }
  r.finish(end, 'InstrumentationScope');
}

function readSpan(r: ProtoReader, limit: number, resource: Resource, scope: Scope): Span {
  const end = r.lenEnd(limit);
  const span = emptySpan(resource, scope);
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    switch (tag) {
      case 10:
        span.traceId = readId(r, end, 16, 'Span.trace_id', 0);
        break;
      case 18:
        span.spanId = readId(r, end, 8, 'Span.span_id', -1);
        break;
      case 26:
        span.traceState = r.string(end);
        break;
      case 34:
        span.parentSpanId = readId(r, end, 8, 'Span.parent_span_id', 1);
        break;
      case 42:
        span.name = r.text(end);
        break;
      case 48:
        span.kind = spanKind(r.varint32());
        break;
      case 57:
        span.startTimeUnixNano = r.fixed64(end);
        break;
      case 65:
        span.endTimeUnixNano = r.fixed64(end);
        break;
      case 74:
        readKeyValue(r, end, span.attributes, 0);
        break;
      case 80:
        span.droppedAttributesCount = r.varint32() >>> 0;
        break;
      case 90:
        span.events.push(readEvent(r, end));
        break;
      case 96:
        span.droppedEventsCount = r.varint32() >>> 0;
        break;
      case 106:
        span.links.push(readLink(r, end));
        break;
      case 112:
        span.droppedLinksCount = r.varint32() >>> 0;
        break;
      case 122:
        readStatus(r, end, span.status);
        break;
      case 133:
        span.flags = r.fixed32(end);
        break;
      default:
        skipOther(r, tag, end, at, SPAN);
    }
  }
  r.finish(end, 'Span');
  return span;
}

function readEvent(r: ProtoReader, limit: number): SpanEvent {
  const end = r.lenEnd(limit);
  const event: SpanEvent = { timeUnixNano: 0n, name: '', attributes: {}, droppedAttributesCount: 0 };
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 9) event.timeUnixNano = r.fixed64(end);
    else if (tag === 18) event.name = r.text(end);
    else if (tag === 26) readKeyValue(r, end, event.attributes, 0);
    else if (tag === 32) event.droppedAttributesCount = r.varint32() >>> 0;
    else skipOther(r, tag, end, at, EVENT);
  }
  r.finish(end, 'Span.Event');
  return event;
}

function readLink(r: ProtoReader, limit: number): SpanLink {
  const end = r.lenEnd(limit);
  const link: SpanLink = {
    traceId: '',
    spanId: '',
    traceState: '',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
  };
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) link.traceId = readId(r, end, 16, 'Span.Link.trace_id', -1);
    else if (tag === 18) link.spanId = readId(r, end, 8, 'Span.Link.span_id', -1);
    else if (tag === 26) link.traceState = r.string(end);
    else if (tag === 34) readKeyValue(r, end, link.attributes, 0);
    else if (tag === 40) link.droppedAttributesCount = r.varint32() >>> 0;
    else if (tag === 53) link.flags = r.fixed32(end);
    else skipOther(r, tag, end, at, LINK);
  }
  r.finish(end, 'Span.Link');
  return link;
}

function readStatus(r: ProtoReader, limit: number, status: Status): void {
  const end = r.lenEnd(limit);
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 18) status.message = r.string(end);
    else if (tag === 24) status.code = statusCode(r.varint32());
    else skipOther(r, tag, end, at, STATUS);
  }
  r.finish(end, 'Status');
}

/** An id is exactly `size` bytes, or empty for "absent". */
function readId(r: ProtoReader, limit: number, size: number, field: string, memo: number): string {
  const at = r.pos;
  const end = r.lenEnd(limit);
  const start = r.pos;
  r.pos = end;
  if (end === start) return '';
  if (end - start !== size)
    throw protoError(`${field} must be ${size} bytes or empty, got ${end - start}`, at);
  return r.id(start, size, memo);
}

// proto3 enums are open, but the model's are not: values it does not know read as unspecified.
function spanKind(v: number): SpanKind {
  return v >= 0 && v <= 5 ? (v as SpanKind) : 0;
}

function statusCode(v: number): StatusCode {
  return v >= 0 && v <= 2 ? (v as StatusCode) : 0;
}

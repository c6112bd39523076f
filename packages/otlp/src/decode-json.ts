/**
 * OTLP/JSON ExportTraceServiceRequest → flat spans, with the same sharing of Resource and
 * Scope objects as the protobuf decoder. Unknown fields are ignored; both lowerCamelCase and
 * proto snake_case names are read. Errors carry the JSON path of the offending value.
 */
import type { Resource, Scope, Span, SpanEvent, SpanLink, Status } from '@genba/model';
import { jsonAttributes } from './decode-json-attributes.ts';
import { OtlpDecodeError } from './errors.ts';
import type { JsonObject } from './json-path.ts';
import { arrayField, asObject, field, JsonPath, objectField } from './json-path.ts';
import { jsonId, jsonSpanKind, jsonStatusCode, jsonString, jsonUint32, jsonUint64 } from './json-values.ts';

export function decodeTraceRequestJson(text: string): Span[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new OtlpDecodeError(`invalid JSON: ${(e as Error).message}`, '$');
  }
  const p = new JsonPath();
  const o = asObject(root, p, 'the request');
  const out: Span[] = [];
  const list = arrayField(o, 'resourceSpans', 'resource_spans', p);
  p.enter('resourceSpans');
  for (let i = 0; i < list.length; i++) {
    p.enter(i);
    readResourceSpans(asObject(list[i], p, 'ResourceSpans'), p, out);
    p.leave();
  }
  return out;
}

function readResourceSpans(o: JsonObject, p: JsonPath, out: Span[]): void {
  const resource: Resource = {
    attributes: {},
    droppedAttributesCount: 0,
    schemaUrl: jsonString(field(o, 'schemaUrl', 'schema_url'), p, 'schemaUrl'),
  };
  const r = objectField(o, 'resource', 'resource', p);
  if (r !== undefined) {
    p.enter('resource');
    jsonAttributes(r, 'attributes', 'attributes', resource.attributes, p);
    resource.droppedAttributesCount = droppedCount(r, p);
    p.leave();
  }
  const list = arrayField(o, 'scopeSpans', 'scope_spans', p);
  p.enter('scopeSpans');
  for (let i = 0; i < list.length; i++) {
    p.enter(i);
    readScopeSpans(asObject(list[i], p, 'ScopeSpans'), p, resource, out);
    p.leave();
  }
  p.leave();
}

function readScopeSpans(o: JsonObject, p: JsonPath, resource: Resource, out: Span[]): void {
  const scope: Scope = {
    name: '',
    version: '',
    attributes: {},
    droppedAttributesCount: 0,
    schemaUrl: jsonString(field(o, 'schemaUrl', 'schema_url'), p, 'schemaUrl'),
  };
  const s = objectField(o, 'scope', 'scope', p);
  if (s !== undefined) {
    p.enter('scope');
    scope.name = jsonString(s.name, p, 'name');
    scope.version = jsonString(s.version, p, 'version');
    jsonAttributes(s, 'attributes', 'attributes', scope.attributes, p);
    scope.droppedAttributesCount = droppedCount(s, p);
    p.leave();
  }
  const list = arrayField(o, 'spans', 'spans', p);
  p.enter('spans');
  for (let i = 0; i < list.length; i++) {
    p.enter(i);
    out.push(readSpan(asObject(list[i], p, 'Span'), p, resource, scope));
    p.leave();
  }
  p.leave();
}

function readSpan(o: JsonObject, p: JsonPath, resource: Resource, scope: Scope): Span {
  const span: Span = {
    traceId: jsonId(field(o, 'traceId', 'trace_id'), p, 'traceId', 32),
    spanId: jsonId(field(o, 'spanId', 'span_id'), p, 'spanId', 16),
    parentSpanId: jsonId(field(o, 'parentSpanId', 'parent_span_id'), p, 'parentSpanId', 16),
    traceState: jsonString(field(o, 'traceState', 'trace_state'), p, 'traceState'),
    flags: jsonUint32(o.flags, p, 'flags'),
    name: jsonString(o.name, p, 'name'),
    kind: jsonSpanKind(o.kind, p),
    startTimeUnixNano: jsonUint64(
      field(o, 'startTimeUnixNano', 'start_time_unix_nano'),
      p,
      'startTimeUnixNano',
    ),
    endTimeUnixNano: jsonUint64(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), p, 'endTimeUnixNano'),
    attributes: {},
    droppedAttributesCount: droppedCount(o, p),
    events: [],
    droppedEventsCount: jsonUint32(
      field(o, 'droppedEventsCount', 'dropped_events_count'),
      p,
      'droppedEventsCount',
    ),
    links: [],
    droppedLinksCount: jsonUint32(
      field(o, 'droppedLinksCount', 'dropped_links_count'),
      p,
      'droppedLinksCount',
    ),
    status: { code: 0, message: '' },
    resource,
    scope,
  };
  jsonAttributes(o, 'attributes', 'attributes', span.attributes, p);
  const events = arrayField(o, 'events', 'events', p);
  p.enter('events');
  for (let i = 0; i < events.length; i++) {
    p.enter(i);
    span.events.push(readEvent(asObject(events[i], p, 'Event'), p));
    p.leave();
  }
  p.leave();
  const links = arrayField(o, 'links', 'links', p);
  p.enter('links');
  for (let i = 0; i < links.length; i++) {
    p.enter(i);
    span.links.push(readLink(asObject(links[i], p, 'Link'), p));
    p.leave();
  }
  p.leave();
  const status = objectField(o, 'status', 'status', p);
  if (status !== undefined) {
    p.enter('status');
    readStatus(status, p, span.status);
    p.leave();
  }
  return span;
}

function readEvent(o: JsonObject, p: JsonPath): SpanEvent {
  const event: SpanEvent = {
    timeUnixNano: jsonUint64(field(o, 'timeUnixNano', 'time_unix_nano'), p, 'timeUnixNano'),
    name: jsonString(o.name, p, 'name'),
    attributes: {},
    droppedAttributesCount: droppedCount(o, p),
  };
  jsonAttributes(o, 'attributes', 'attributes', event.attributes, p);
  return event;
}

function readLink(o: JsonObject, p: JsonPath): SpanLink {
  const link: SpanLink = {
    traceId: jsonId(field(o, 'traceId', 'trace_id'), p, 'traceId', 32),
    spanId: jsonId(field(o, 'spanId', 'span_id'), p, 'spanId', 16),
    traceState: jsonString(field(o, 'traceState', 'trace_state'), p, 'traceState'),
    attributes: {},
    droppedAttributesCount: droppedCount(o, p),
    flags: jsonUint32(o.flags, p, 'flags'),
  };
  jsonAttributes(o, 'attributes', 'attributes', link.attributes, p);
  return link;
}

function readStatus(o: JsonObject, p: JsonPath, status: Status): void {
  status.message = jsonString(o.message, p, 'message');
  status.code = jsonStatusCode(o.code, p);
}

function droppedCount(o: JsonObject, p: JsonPath): number {
  const v = field(o, 'droppedAttributesCount', 'dropped_attributes_count');
  return jsonUint32(v, p, 'droppedAttributesCount');
}

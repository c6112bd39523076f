/**
 * Spans → OTLP/JSON, shaped as the OpenTelemetry JS JSON exporter writes it: lowerCamelCase
 * names, hex ids, enums as integers, 64-bit integers as decimal strings (the proto JSON rule,
 * and the only lossless form for bigint), bytes as base64. Built as one string, field by field.
 */
import type { Attributes, AttributeValue, Span, SpanEvent, SpanLink } from '@genba/model';
import { encodeBase64 } from './base64.ts';
import { groupSpans } from './group-spans.ts';
import { MAX_DEPTH } from './set-attribute.ts';

const str = JSON.stringify;

export function encodeTraceRequestJson(spans: readonly Span[]): string {
  let out = '{"resourceSpans":[';
  let firstResource = true;
  for (const g of groupSpans(spans)) {
    if (!firstResource) out += ',';
    firstResource = false;
    const r = g.resource;
    out += `{"resource":{"attributes":${attributes(r.attributes, 0)},"droppedAttributesCount":${r.droppedAttributesCount}}`;
    out += ',"scopeSpans":[';
    for (let i = 0; i < g.scopes.length; i++) {
      const { scope, spans: scoped } = g.scopes[i];
      if (i > 0) out += ',';
      out += `{"scope":{"name":${str(scope.name)},"version":${str(scope.version)}`;
      if (Object.keys(scope.attributes).length > 0) out += `,"attributes":${attributes(scope.attributes, 0)}`;
      if (scope.droppedAttributesCount !== 0)
        out += `,"droppedAttributesCount":${scope.droppedAttributesCount}`;
      out += '},"spans":[';
      for (let j = 0; j < scoped.length; j++) {
        if (j > 0) out += ',';
        out += span(scoped[j]);
      }
      out += ']';
      if (scope.schemaUrl !== '') out += `,"schemaUrl":${str(scope.schemaUrl)}`;
      out += '}';
    }
    out += ']';
    if (r.schemaUrl !== '') out += `,"schemaUrl":${str(r.schemaUrl)}`;
    out += '}';
  }
  return out + ']}';
}

function span(s: Span): string {
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
  if (s.traceState !== '') out += `,"traceState":${str(s.traceState)}`;
  if (s.parentSpanId !== '') out += `,"parentSpanId":"${s.parentSpanId}"`;
  if (s.flags !== 0) out += `,"flags":${s.flags}`;
  out += `,"name":${str(s.name)},"kind":${s.kind}`;
  out += `,"startTimeUnixNano":"${s.startTimeUnixNano}","endTimeUnixNano":"${s.endTimeUnixNano}"`;
  out += `,"attributes":${attributes(s.attributes, 0)},"droppedAttributesCount":${s.droppedAttributesCount}`;
  out += ',"events":[';
  for (let i = 0; i < s.events.length; i++) out += (i > 0 ? ',' : '') + event(s.events[i]);
  out += `],"droppedEventsCount":${s.droppedEventsCount},"links":[`;
  for (let i = 0; i < s.links.length; i++) out += (i > 0 ? ',' : '') + link(s.links[i]);
  out += `],"droppedLinksCount":${s.droppedLinksCount},"status":{`;
  if (s.status.message !== '') out += `"message":${str(s.status.message)},`;
  return out + `"code":${s.status.code}}}`;
}

function event(e: SpanEvent): string {
  return (
    `{"timeUnixNano":"${e.timeUnixNano}","name":${str(e.name)},"attributes":${attributes(e.attributes, 0)}` +
    `,"droppedAttributesCount":${e.droppedAttributesCount}}`
  );
}

function link(l: SpanLink): string {
  let out = `{"traceId":"${l.traceId}","spanId":"${l.spanId}"`;
  if (l.traceState !== '') out += `,"traceState":${str(l.traceState)}`;
  out += `,"attributes":${attributes(l.attributes, 0)},"droppedAttributesCount":${l.droppedAttributesCount}`;
  if (l.flags !== 0) out += `,"flags":${l.flags}`;
  return out + '}';
}

function attributes(attrs: Attributes, depth: number): string {
  let out = '[';
  let first = true;
  for (const key in attrs) {
    if (!first) out += ',';
    first = false;
    out += `{"key":${str(key)},"value":${anyValue(attrs[key], depth + 1)}}`;
  }
  return out + ']';
}

function anyValue(v: AttributeValue, depth: number): string {
  if (depth > MAX_DEPTH) throw new RangeError(`attribute value nested deeper than ${MAX_DEPTH}`);
  switch (typeof v) {
    case 'string':
      return `{"stringValue":${str(v)}}`;
    case 'boolean':
      return v ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'number':
      return `{"doubleValue":${double(v)}}`;
    case 'bigint':
      return `{"intValue":"${v}"}`;
    case 'object': {
      if (v === null) return '{}';
      if (v instanceof Uint8Array) return `{"bytesValue":"${encodeBase64(v)}"}`;
      if (Array.isArray(v)) {
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + anyValue(v[i], depth + 1);
        return out + ']}}';
      }
      return `{"kvlistValue":{"values":${attributes(v.kvlist, depth)}}}`;
    }
    default:
      return '{}';
  }
}

/** Proto JSON spells non-finite doubles as strings; -0 keeps its sign. */
function double(v: number): string {
  if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : String(v);
  return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}

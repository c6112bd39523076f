/**
 * Jaeger v1 query-API JSON → model spans, for `genba analyze <file.json>`: the inverse of
 * `toJaegerTrace`, read by the same rules as the Jaeger receiver (tags lifted back into kind,
 * status, scope and trace state; logs to events; µs → ns; processes to resources).
 *
 * The input is untrusted. Every value is checked, and the first problem throws
 * GenbaError('bad_request') naming its place, e.g. `data[0].spans[3].startTime: expected a number`.
 * Nothing recurses: tag values are scalars, so no depth of input can exhaust the stack.
 */
import {
  type Attributes,
  emptyResource,
  emptySpan,
  isValidSpanId,
  isValidTraceId,
  type Resource,
  type Scope,
  type Span,
  type SpanEvent,
  SpanKind,
  type SpanLink,
  type Status,
  StatusCode,
} from '@genba/model';
import {
  fail,
  field,
  INT64_MAX,
  isObject,
  join,
  list,
  micros,
  type Obj,
  object,
  putTags,
  shown,
  spanIdOf,
  string,
  traceIdOf,
} from './from-jaeger-values.ts';

const SHAPE =
  'expected Jaeger JSON: {"data": [traces]}, one trace {traceID, spans, processes} or an array of traces';
const ZERO_SPAN_ID = '0000000000000000';

const KINDS = new Map<string, SpanKind>([
  ['internal', SpanKind.INTERNAL],
  ['server', SpanKind.SERVER],
  ['client', SpanKind.CLIENT],
  ['producer', SpanKind.PRODUCER],
  ['consumer', SpanKind.CONSUMER],
]);

/** Removes `key` when it holds a string and returns it; other types stay attributes. */
function takeString(attrs: Attributes, key: string): string | undefined {
  if (!Object.hasOwn(attrs, key)) return undefined;
  const v = attrs[key];
  if (typeof v !== 'string') return undefined;
  delete attrs[key];
  return v;
}

/** `error=true` is the final word, as in the receiver; `otel.status_code` decides otherwise. */
function statusOf(attrs: Attributes): Status {
  const status: Status = { code: StatusCode.UNSET, message: '' };
  const code = takeString(attrs, 'otel.status_code')?.toUpperCase();
  if (Object.hasOwn(attrs, 'error') && attrs.error === true) {
    delete attrs.error;
    status.code = StatusCode.ERROR;
  } else if (code === 'OK') status.code = StatusCode.OK;
  else if (code === 'ERROR') status.code = StatusCode.ERROR;
  // toJaegerTrace writes a description whatever the code, so it is read back whatever the code.
  status.message = takeString(attrs, 'otel.status_description') ?? '';
  return status;
}

/** `otel.scope.*`, else the older `otel.library.*`; the tags used are removed. */
function scopeOf(attrs: Attributes, scopes: Map<string, Scope>): Scope {
  let name = '';
  let version = '';
  for (const prefix of ['otel.scope', 'otel.library']) {
    const n = takeString(attrs, `${prefix}.name`);
    if (n === undefined) continue;
    name = n;
    version = takeString(attrs, `${prefix}.version`) ?? '';
    break;
  }
  const key = `${name}\u0000${version}`;
  let scope = scopes.get(key);
  if (scope === undefined) {
    scope = { name, version, attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
    scopes.set(key, scope);
  }
  return scope;
}

function readProcess(v: unknown, at: string): Resource {
  const p = object(v, at);
  const resource = emptyResource();
  const name = field(p, 'serviceName');
  // service.name comes first, then the tags (which never carry it in Jaeger's output).
  if (name !== undefined && string(name, `${at}.serviceName`) !== '')
    resource.attributes['service.name'] = name as string;
  putTags(resource.attributes, field(p, 'tags'), `${at}.tags`);
  return resource;
}

function readProcesses(v: unknown, at: string): Map<string, Resource> {
  const out = new Map<string, Resource>();
  if (v === undefined || v === null) return out;
  const table = object(v, at);
  for (const id of Object.keys(table)) out.set(id, readProcess(table[id], `${at}[${JSON.stringify(id)}]`));
  return out;
}

function readEvent(v: unknown, at: string): SpanEvent {
  const log = object(v, at);
  const timeUnixNano = micros(field(log, 'timestamp'), `${at}.timestamp`);
  const attributes = putTags({}, field(log, 'fields'), `${at}.fields`);
  // Named by its `event` field, else (as the receiver does) by its `message`.
  let name = takeString(attributes, 'event');
  if (name === undefined && Object.hasOwn(attributes, 'message') && typeof attributes.message === 'string')
    name = attributes.message;
  return { timeUnixNano, name: name ?? '', attributes, droppedAttributesCount: 0 };
}

interface Reference {
  child: boolean;
  traceId: string;
  spanId: string;
}

/**
 * The parent is the first same-trace CHILD_OF, else the first same-trace FOLLOWS_FROM (as the
 * receiver and the Collector read Jaeger). Every other reference, and a FOLLOWS_FROM parent too,
 * is a link typed by `opentracing.ref_type`; toJaegerTrace turns that pair back into one reference.
 */
function readReferences(span: Span, v: unknown, at: string): void {
  const refs: Reference[] = [];
  const items = list(v, at);
  for (let i = 0; i < items.length; i++) {
    const refAt = `${at}[${i}]`;
    const r = object(items[i], refAt);
    const type = field(r, 'refType');
    if (type !== 'CHILD_OF' && type !== 'FOLLOWS_FROM')
      fail(`${refAt}.refType`, `expected CHILD_OF or FOLLOWS_FROM, got ${shown(type)}`);
    const traceId = traceIdOf(field(r, 'traceID'), `${refAt}.traceID`);
    const spanId = spanIdOf(field(r, 'spanID'), `${refAt}.spanID`);
    // Jaeger removes references to an empty id; so does this reader.
    if (isValidTraceId(traceId) && spanId !== ZERO_SPAN_ID)
      refs.push({ child: type === 'CHILD_OF', traceId, spanId });
  }
  const sameTrace = refs.filter((r) => r.traceId === span.traceId);
  const parent = sameTrace.find((r) => r.child) ?? sameTrace[0];
  if (parent !== undefined) span.parentSpanId = parent.spanId;
  span.links = refs
    .filter((r) => !(r === parent && r.child))
    .map(
      (r): SpanLink => ({
        traceId: r.traceId,
        spanId: r.spanId,
        traceState: '',
        attributes: { 'opentracing.ref_type': r.child ? 'child_of' : 'follows_from' },
        droppedAttributesCount: 0,
        flags: 0,
      }),
    );
}

interface TraceContext {
  traceId: string | undefined;
  processes: Map<string, Resource>;
  processesAt: string;
  scopes: Map<string, Scope>;
}

function resourceOf(s: Obj, at: string, ctx: TraceContext): Resource {
  // Some exports embed the process in each span instead of a trace-level table.
  const inline = field(s, 'process');
  if (inline !== undefined && inline !== null) return readProcess(inline, `${at}.process`);
  const id = string(field(s, 'processID'), `${at}.processID`);
  return ctx.processes.get(id) ?? fail(`${at}.processID`, `no process ${shown(id)} in ${ctx.processesAt}`);
}

function readSpan(v: unknown, at: string, ctx: TraceContext): Span {
  const s = object(v, at);
  const rawTraceId = field(s, 'traceID');
  const traceId = rawTraceId === undefined ? ctx.traceId : traceIdOf(rawTraceId, `${at}.traceID`);
  if (traceId === undefined || !isValidTraceId(traceId))
    fail(`${at}.traceID`, 'expected a non-zero trace id');
  const spanId = spanIdOf(field(s, 'spanID'), `${at}.spanID`);
  if (!isValidSpanId(spanId)) fail(`${at}.spanID`, 'expected a non-zero span id');
  const start = micros(field(s, 'startTime'), `${at}.startTime`);
  const duration = micros(field(s, 'duration'), `${at}.duration`);
  if (start + duration > INT64_MAX) fail(`${at}.duration`, 'the span ends beyond the year 2262');
  const flags = field(s, 'flags');
  if (flags !== undefined && (!Number.isInteger(flags) || (flags as number) < 0))
    fail(`${at}.flags`, 'expected a whole number');

  const attributes = putTags({}, field(s, 'tags'), `${at}.tags`);
  const span = emptySpan(resourceOf(s, at, ctx), scopeOf(attributes, ctx.scopes));
  span.traceId = traceId;
  span.spanId = spanId;
  // Jaeger's sampled flag is bit 0, as in W3C trace flags.
  span.flags = ((flags as number | undefined) ?? 0) & 1;
  span.name = string(field(s, 'operationName'), `${at}.operationName`);
  span.startTimeUnixNano = start;
  span.endTimeUnixNano = start + duration;
  const kind = Object.hasOwn(attributes, 'span.kind') ? attributes['span.kind'] : undefined;
  if (typeof kind === 'string' && KINDS.has(kind)) {
    span.kind = KINDS.get(kind)!;
    delete attributes['span.kind'];
  }
  span.status = statusOf(attributes);
  span.traceState = takeString(attributes, 'w3c.tracestate') ?? '';
  span.attributes = attributes;
  span.events = list(field(s, 'logs'), `${at}.logs`).map((l, i) => readEvent(l, `${at}.logs[${i}]`));
  readReferences(span, field(s, 'references'), `${at}.references`);
  return span;
}

function readTrace(v: unknown, at: string, scopes: Map<string, Scope>, out: Span[]): void {
  const t = object(v, at === '' ? '(document)' : at);
  const rawTraceId = field(t, 'traceID');
  const ctx: TraceContext = {
    // An empty trace (toJaegerTrace of no spans) has traceID ''.
    traceId:
      rawTraceId === undefined || rawTraceId === '' ? undefined : traceIdOf(rawTraceId, join(at, 'traceID')),
    processes: readProcesses(field(t, 'processes'), join(at, 'processes')),
    processesAt: join(at, 'processes'),
    scopes,
  };
  const spansAt = join(at, 'spans');
  const spans = list(field(t, 'spans'), spansAt);
  for (let i = 0; i < spans.length; i++) out.push(readSpan(spans[i], `${spansAt}[${i}]`, ctx));
}

/**
 * Reads what Jaeger's `/api/traces` and `/api/traces/{id}` return (`{"data": [trace, …]}`), one
 * bare trace `{traceID, spans, processes}`, or an array of traces. Spans come out in input order;
 * spans of one process share one resource object, and spans of one library one scope object.
 */
export function fromJaegerJson(doc: unknown): Span[] {
  const scopes = new Map<string, Scope>();
  const out: Span[] = [];
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) readTrace(doc[i], `[${i}]`, scopes, out);
  } else if (isObject(doc) && Object.hasOwn(doc, 'data')) {
    const data = doc.data;
    if (data === null || data === undefined) {
      // What Jaeger answers for a trace it does not have: {"data": null, "errors": [{"msg": …}]}.
      const errors = field(doc, 'errors');
      const first = Array.isArray(errors) && isObject(errors[0]) ? field(errors[0], 'msg') : undefined;
      if (typeof first === 'string') fail('errors[0].msg', `the document reports an error: ${shown(first)}`);
      fail('data', 'expected an array of traces');
    }
    const traces = list(data, 'data');
    for (let i = 0; i < traces.length; i++) readTrace(traces[i], `data[${i}]`, scopes, out);
  } else if (isObject(doc) && Object.hasOwn(doc, 'spans')) {
    readTrace(doc, '', scopes, out);
  } else {
    fail(
      '(document)',
      isObject(doc) && Object.hasOwn(doc, 'resourceSpans') ? `${SHAPE}; this is OTLP JSON` : SHAPE,
    );
  }
  return out;
}

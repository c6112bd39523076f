/**
 * Span ⇄ row. Rows are written here, by us, in RowBinary: every value is length-prefixed, so no
 * span value can end the data early or be read as SQL.
 */
import type { Resource, Scope, Span, SpanKind, StatusCode } from '@genba/model';
import { serviceName } from '@genba/model';
import { joinAttributes, packAttributes, unpackAttributes, writeAttributeArrays } from './attribute-codec.ts';
import type { Dialect } from './dialect.ts';
import { RowBinaryWriter } from './row-binary-writer.ts';

/** Columns read back, in the shape `rowsToSpans` takes. Aliases never reuse a column's name: ClickHouse
 * would substitute the alias for the column in WHERE. */
export function spanColumns(d: Dialect): string {
  return (
    'lower(hex(trace_id)) AS tid, lower(hex(span_id)) AS sid, lower(hex(parent_span_id)) AS psid, ' +
    `trace_state, flags, name, kind, ${d.form === 'modern' ? `${d.startNs} AS start_ns` : 'start_ns'}, duration_ns, ` +
    `status_code, status_message, ${d.attributeArrays}, scope_name, scope_version, extra`
  );
}

export interface SpanRow {
  tid: string;
  sid: string;
  psid: string;
  trace_state: string;
  flags: number;
  name: string;
  kind: number;
  start_ns: string;
  duration_ns: string;
  status_code: number;
  status_message: string;
  attr_keys: string[];
  attr_values: string[];
  attr_type_keys: string[];
  attr_types: number[];
  res_keys: string[];
  res_values: string[];
  res_type_keys: string[];
  res_types: number[];
  scope_name: string;
  scope_version: string;
  extra: string;
}

type Packed = [string, number, string][];
interface Extra {
  e?: [string, string, Packed, number][];
  l?: [string, string, string, Packed, number, number][];
  d?: [number, number, number];
  sa?: Packed;
  rs?: string;
  ss?: string;
  rd?: number;
  sd?: number;
}

/** Encodes spans as RowBinary rows in the order of SPAN_ROW_STRUCTURE (dialect.ts). */
export function spansToRowBinary(spans: readonly Span[]): Buffer {
  const w = new RowBinaryWriter(spans.length * 512);
  // Resources and scopes are shared by many spans: encode a resource's columns once and copy the
  // bytes; ask once per resource and per scope whether it needs the extra column.
  const resources = new Map<Resource, { service: string; bytes: Buffer; extra: boolean }>();
  const scopes = new Map<Scope, boolean>();
  for (const s of spans) {
    let res = resources.get(s.resource);
    if (res === undefined) {
      const rw = new RowBinaryWriter(1024);
      writeAttributeArrays(rw, s.resource.attributes);
      res = { service: serviceName(s), bytes: Buffer.from(rw.bytes()), extra: hasResourceExtra(s.resource) };
      resources.set(s.resource, res);
    }
    w.fixedHex(s.traceId, 16);
    w.fixedHex(s.spanId, 8);
    w.fixedHex(s.parentSpanId, 8);
    w.string(s.traceState);
    w.uint32(s.flags);
    w.string(res.service);
    w.string(s.name);
    w.uint8(s.kind);
    w.int64(s.startTimeUnixNano);
    w.int64(s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0n);
    w.uint8(s.status.code);
    w.string(s.status.message);
    writeAttributeArrays(w, s.attributes);
    w.raw(res.bytes);
    w.string(s.scope.name);
    w.string(s.scope.version);
    let scopeExtra = scopes.get(s.scope);
    if (scopeExtra === undefined) {
      scopeExtra = hasScopeExtra(s.scope);
      scopes.set(s.scope, scopeExtra);
    }
    w.string(res.extra || scopeExtra || hasSpanExtra(s) ? extraOf(s) : '');
  }
  return Buffer.from(w.bytes());
}

/** Whether a resource, a scope or a span has anything the columns do not hold, for `extra`. */
function hasResourceExtra(r: Resource): boolean {
  return Boolean(r.schemaUrl || r.droppedAttributesCount);
}

function hasScopeExtra(scope: Scope): boolean {
  return Boolean(scope.schemaUrl || scope.droppedAttributesCount || Object.keys(scope.attributes).length > 0);
}

function hasSpanExtra(s: Span): boolean {
  return Boolean(
    s.events.length ||
      s.links.length ||
      s.droppedAttributesCount ||
      s.droppedEventsCount ||
      s.droppedLinksCount,
  );
}

function extraOf(s: Span): string {
  const x: Extra = {};
  if (s.events.length)
    x.e = s.events.map((e) => [
      String(e.timeUnixNano),
      e.name,
      packAttributes(e.attributes),
      e.droppedAttributesCount,
    ]);
  if (s.links.length)
    x.l = s.links.map((l) => [
      l.traceId,
      l.spanId,
      l.traceState,
      packAttributes(l.attributes),
      l.droppedAttributesCount,
      l.flags,
    ]);
  if (s.droppedAttributesCount || s.droppedEventsCount || s.droppedLinksCount)
    x.d = [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount];
  const sa = packAttributes(s.scope.attributes);
  if (sa.length) x.sa = sa;
  if (s.resource.schemaUrl) x.rs = s.resource.schemaUrl;
  if (s.scope.schemaUrl) x.ss = s.scope.schemaUrl;
  if (s.resource.droppedAttributesCount) x.rd = s.resource.droppedAttributesCount;
  if (s.scope.droppedAttributesCount) x.sd = s.scope.droppedAttributesCount;
  return JSON.stringify(x);
}

/** Rebuilds spans; spans with the same resource (and scope) share one object, as they did on ingest. */
export function rowsToSpans(rows: readonly SpanRow[]): Span[] {
  const resources = new Map<string, Resource>();
  const scopes = new Map<string, Scope>();
  return rows.map((r) => {
    const x = JSON.parse(r.extra || '{}') as Extra;
    const rkey = JSON.stringify([r.res_keys, r.res_values, r.res_type_keys, r.res_types, x.rs, x.rd]);
    let resource = resources.get(rkey);
    if (!resource) {
      resource = {
        attributes: joinAttributes(r.res_keys, r.res_values, r.res_type_keys, r.res_types),
        droppedAttributesCount: x.rd ?? 0,
        schemaUrl: x.rs ?? '',
      };
      resources.set(rkey, resource);
    }
    const skey = JSON.stringify([rkey, r.scope_name, r.scope_version, x.sa, x.ss, x.sd]);
    let scope = scopes.get(skey);
    if (!scope) {
      scope = {
        name: r.scope_name,
        version: r.scope_version,
        attributes: unpackAttributes(x.sa ?? []),
        droppedAttributesCount: x.sd ?? 0,
        schemaUrl: x.ss ?? '',
      };
      scopes.set(skey, scope);
    }
    const start = BigInt(r.start_ns);
    return {
      traceId: r.tid,
      spanId: r.sid,
      parentSpanId: r.psid === '0000000000000000' ? '' : r.psid,
      traceState: r.trace_state,
      flags: Number(r.flags),
      name: r.name,
      kind: Number(r.kind) as SpanKind,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(r.duration_ns),
      attributes: joinAttributes(r.attr_keys, r.attr_values, r.attr_type_keys, r.attr_types),
      droppedAttributesCount: x.d?.[0] ?? 0,
      events: (x.e ?? []).map(([t, name, attrs, dropped]) => ({
        timeUnixNano: BigInt(t),
        name,
        attributes: unpackAttributes(attrs),
        droppedAttributesCount: dropped,
      })),
      droppedEventsCount: x.d?.[1] ?? 0,
      links: (x.l ?? []).map(([traceId, spanId, traceState, attrs, dropped, flags]) => ({
        traceId,
        spanId,
        traceState,
        attributes: unpackAttributes(attrs),
        droppedAttributesCount: dropped,
        flags,
      })),
      droppedLinksCount: x.d?.[2] ?? 0,
      status: { code: Number(r.status_code) as StatusCode, message: r.status_message },
      resource,
      scope,
    };
  });
}

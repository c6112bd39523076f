/**
 * The test oracle: protobufjs, loaded from the OTLP .proto files in ../fixtures. Converts
 * between its messages and the model, independently of the code under test.
 */
import { fileURLToPath } from 'node:url';
import type {
  Attributes,
  AttributeValue,
  Resource,
  Scope,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  StatusCode,
} from '@genba/model';
import protobuf from 'protobufjs';
import { groupedOrder } from './arbitraries.ts';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const root = new protobuf.Root().loadSync(
  ['common.proto', 'resource.proto', 'trace.proto', 'trace_service.proto', 'status.proto'].map(
    (f) => dir + f,
  ),
);
export const RequestType = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
export const ResponseType = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
);
export const RpcStatusType = root.lookupType('google.rpc.Status');

// biome-ignore lint/suspicious/noExplicitAny: protobufjs' plain objects are untyped
type Obj = any;

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  oneofs: true,
  defaults: true,
  arrays: true,
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Decodes with protobufjs and builds model spans from what it read. */
export function oracleDecode(bytes: Uint8Array): Span[] {
  const req: Obj = RequestType.toObject(RequestType.decode(bytes), TO_OBJECT);
  const out: Span[] = [];
  for (const rs of req.resourceSpans) {
    const resource: Resource = {
      attributes: attrs(rs.resource?.attributes ?? []),
      droppedAttributesCount: rs.resource?.droppedAttributesCount ?? 0,
      schemaUrl: rs.schemaUrl,
    };
    for (const ss of rs.scopeSpans) {
      const scope: Scope = {
        name: ss.scope?.name ?? '',
        version: ss.scope?.version ?? '',
        attributes: attrs(ss.scope?.attributes ?? []),
        droppedAttributesCount: ss.scope?.droppedAttributesCount ?? 0,
        schemaUrl: ss.schemaUrl,
      };
      for (const s of ss.spans) {
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          traceState: s.traceState,
          flags: s.flags,
          name: s.name,
          kind: s.kind as SpanKind,
          startTimeUnixNano: BigInt(s.startTimeUnixNano),
          endTimeUnixNano: BigInt(s.endTimeUnixNano),
          attributes: attrs(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount,
          events: s.events.map(
            (e: Obj): SpanEvent => ({
              timeUnixNano: BigInt(e.timeUnixNano),
              name: e.name,
              attributes: attrs(e.attributes),
              droppedAttributesCount: e.droppedAttributesCount,
            }),
          ),
          droppedEventsCount: s.droppedEventsCount,
          links: s.links.map(
            (l: Obj): SpanLink => ({
              traceId: hex(l.traceId),
              spanId: hex(l.spanId),
              traceState: l.traceState,
              attributes: attrs(l.attributes),
              droppedAttributesCount: l.droppedAttributesCount,
              flags: l.flags,
            }),
          ),
          droppedLinksCount: s.droppedLinksCount,
          status: { code: (s.status?.code ?? 0) as StatusCode, message: s.status?.message ?? '' },
          resource,
          scope,
        });
      }
    }
  }
  return out;
}

function attrs(list: Obj[]): Attributes {
  const out: Attributes = {};
  for (const kv of list) out[kv.key] = kv.value ? anyValue(kv.value) : null;
  return out;
}

function anyValue(v: Obj): AttributeValue {
  switch (v.value) {
    case 'stringValue':
      return v.stringValue;
    case 'boolValue':
      return v.boolValue;
    case 'intValue':
      return BigInt(v.intValue);
    case 'doubleValue':
      return v.doubleValue;
    case 'bytesValue':
      return new Uint8Array(v.bytesValue);
    case 'arrayValue':
      return (v.arrayValue.values ?? []).map(anyValue);
    case 'kvlistValue':
      return { kvlist: attrs(v.kvlistValue.values ?? []) };
    default:
      return null;
  }
}

/** Encodes spans with protobufjs, grouped by resource and scope object like the real encoders. */
export function oracleEncode(spans: readonly Span[]): Uint8Array {
  const resourceSpans: Obj[] = [];
  let lastResource: Resource | undefined;
  let lastScope: Scope | undefined;
  for (const s of groupedOrder(spans)) {
    if (s.resource !== lastResource) {
      resourceSpans.push({
        resource: {
          attributes: kvs(s.resource.attributes),
          droppedAttributesCount: s.resource.droppedAttributesCount,
        },
        scopeSpans: [],
        schemaUrl: s.resource.schemaUrl,
      });
      lastResource = s.resource;
      lastScope = undefined;
    }
    const rs = resourceSpans[resourceSpans.length - 1];
    if (s.scope !== lastScope) {
      const { name, version, attributes, droppedAttributesCount, schemaUrl } = s.scope;
      rs.scopeSpans.push({
        scope: { name, version, attributes: kvs(attributes), droppedAttributesCount },
        spans: [],
        schemaUrl,
      });
      lastScope = s.scope;
    }
    rs.scopeSpans[rs.scopeSpans.length - 1].spans.push({
      traceId: Buffer.from(s.traceId, 'hex'),
      spanId: Buffer.from(s.spanId, 'hex'),
      parentSpanId: Buffer.from(s.parentSpanId, 'hex'),
      traceState: s.traceState,
      flags: s.flags,
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano.toString(),
      endTimeUnixNano: s.endTimeUnixNano.toString(),
      attributes: kvs(s.attributes),
      droppedAttributesCount: s.droppedAttributesCount,
      events: s.events.map((e) => ({
        ...e,
        timeUnixNano: e.timeUnixNano.toString(),
        attributes: kvs(e.attributes),
      })),
      droppedEventsCount: s.droppedEventsCount,
      links: s.links.map((l) => ({
        ...l,
        traceId: Buffer.from(l.traceId, 'hex'),
        spanId: Buffer.from(l.spanId, 'hex'),
        attributes: kvs(l.attributes),
      })),
      droppedLinksCount: s.droppedLinksCount,
      status: s.status,
    });
  }
  return RequestType.encode(RequestType.fromObject({ resourceSpans })).finish();
}

function kvs(a: Attributes): Obj[] {
  return Object.entries(a).map(([key, v]) => ({ key, value: toAny(v) }));
}

function toAny(v: AttributeValue): Obj {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      return { doubleValue: v };
  }
  if (v === null) return {};
  if (v instanceof Uint8Array) return { bytesValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toAny) } };
  return { kvlistValue: { values: kvs(v.kvlist) } };
}

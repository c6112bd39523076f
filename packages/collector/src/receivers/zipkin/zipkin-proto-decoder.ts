/**
 * Zipkin v2 proto3 (`application/x-protobuf`): `zipkin.proto3.ListOfSpans` from
 * https://github.com/openzipkin/zipkin-api/blob/master/zipkin.proto, read by hand. Unknown
 * fields are skipped; known fields with the wrong wire type, bad ids and anything past
 * ZIPKIN_LIMITS refuse the request with the field's path and byte offset in the message.
 */
import { ipv4Text, ipv6Text } from './ip-text.ts';
import { I64, LEN, VARINT, WireReader } from './proto-wire.ts';
import { spanIdFromBytes, traceIdFromBytes } from './zipkin-ids.ts';
import {
  emptyEndpoint,
  MAX_MICROS,
  ZIPKIN_LIMITS,
  type ZipkinAnnotation,
  type ZipkinEndpoint,
  type ZipkinKind,
  type ZipkinSpan,
} from './zipkin-span.ts';

export interface ProtoOptions {
  /** Set by the `X-B3-Flags: 1` header: every span in the request is a debug span, as in the Collector. */
  debug?: boolean;
}

function micros(r: WireReader, where: string, value: bigint, at: number): bigint {
  if (value > MAX_MICROS) r.fail(where, `${value} microseconds is past the year 2262`, at);
  return value;
}

/** Endpoint fields merge into `into`, as proto3 merges a message field that occurs twice. */
function endpoint(r: WireReader, end: number, where: string, into: ZipkinEndpoint): ZipkinEndpoint {
  while (r.pos < end) {
    const at = r.pos;
    const [field, wire] = r.tag(where, end);
    if (field === 1) {
      r.expect(`${where}.serviceName`, wire, LEN, at);
      into.serviceName = r.string(`${where}.serviceName`, end, ZIPKIN_LIMITS.nameChars);
    } else if (field === 2 || field === 3) {
      const name = field === 2 ? 'ipv4' : 'ipv6';
      r.expect(`${where}.${name}`, wire, LEN, at);
      const b = r.bytes(`${where}.${name}`, end);
      const size = field === 2 ? 4 : 16;
      if (b.length !== 0 && b.length !== size)
        r.fail(`${where}.${name}`, `expected ${size} bytes, got ${b.length}`, at);
      if (field === 2) into.ipv4 = b.length ? ipv4Text(b) : '';
      else into.ipv6 = b.length ? ipv6Text(b) : '';
    } else if (field === 4) {
      r.expect(`${where}.port`, wire, VARINT, at);
      const port = r.uint32(`${where}.port`, end);
      if (port > 65535) r.fail(`${where}.port`, `expected a port number 0-65535, got ${port}`, at);
      into.port = port;
    } else r.skip(where, wire, end, at);
  }
  return into;
}

function annotation(r: WireReader, end: number, where: string): ZipkinAnnotation {
  const a: ZipkinAnnotation = { timestamp: 0n, value: '' };
  while (r.pos < end) {
    const at = r.pos;
    const [field, wire] = r.tag(where, end);
    if (field === 1) {
      r.expect(`${where}.timestamp`, wire, I64, at);
      a.timestamp = micros(r, `${where}.timestamp`, r.fixed64(`${where}.timestamp`, end), at);
    } else if (field === 2) {
      r.expect(`${where}.value`, wire, LEN, at);
      a.value = r.string(`${where}.value`, end, ZIPKIN_LIMITS.valueChars);
    } else r.skip(where, wire, end, at);
  }
  return a;
}

function tagEntry(r: WireReader, end: number, where: string, tags: Map<string, string>): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const at = r.pos;
    const [field, wire] = r.tag(where, end);
    if (field === 1 || field === 2) {
      r.expect(`${where}.${field === 1 ? 'key' : 'value'}`, wire, LEN, at);
      if (field === 1) key = r.string(`${where}.key`, end, ZIPKIN_LIMITS.nameChars);
      else value = r.string(`${where}.value`, end, ZIPKIN_LIMITS.valueChars);
    } else r.skip(where, wire, end, at);
  }
  tags.set(key, value);
}

function span(r: WireReader, end: number, where: string, opts: ProtoOptions): ZipkinSpan {
  const start = r.pos;
  let traceId: Uint8Array | undefined;
  let id: Uint8Array | undefined;
  let parentId: Uint8Array = new Uint8Array(0);
  const s: ZipkinSpan = {
    traceId: '',
    id: '',
    parentId: '',
    kind: 0,
    name: '',
    timestamp: 0n,
    duration: 0n,
    annotations: [],
    tags: new Map(),
    debug: opts.debug === true,
    shared: false,
  };
  while (r.pos < end) {
    const at = r.pos;
    const [field, wire] = r.tag(where, end);
    switch (field) {
      case 1:
      case 2:
      case 3: {
        const name = field === 1 ? 'traceId' : field === 2 ? 'parentId' : 'id';
        r.expect(`${where}.${name}`, wire, LEN, at);
        const b = r.bytes(`${where}.${name}`, end);
        if (field === 1) traceId = b;
        else if (field === 2) parentId = b;
        else id = b;
        break;
      }
      case 4: {
        r.expect(`${where}.kind`, wire, VARINT, at);
        const kind = r.uint32(`${where}.kind`, end);
        if (kind > 4) r.fail(`${where}.kind`, `${kind} is not a Span.Kind (0-4)`, at);
        s.kind = kind as ZipkinKind;
        break;
      }
      case 5:
        r.expect(`${where}.name`, wire, LEN, at);
        s.name = r.string(`${where}.name`, end, ZIPKIN_LIMITS.nameChars);
        break;
      case 6:
        r.expect(`${where}.timestamp`, wire, I64, at);
        s.timestamp = micros(r, `${where}.timestamp`, r.fixed64(`${where}.timestamp`, end), at);
        break;
      case 7:
        r.expect(`${where}.duration`, wire, VARINT, at);
        s.duration = micros(r, `${where}.duration`, r.varint(`${where}.duration`, end), at);
        break;
      case 8:
      case 9: {
        const name = field === 8 ? 'localEndpoint' : 'remoteEndpoint';
        r.expect(`${where}.${name}`, wire, LEN, at);
        const e = r.lenEnd(`${where}.${name}`, end);
        const into = (field === 8 ? s.localEndpoint : s.remoteEndpoint) ?? emptyEndpoint();
        if (field === 8) s.localEndpoint = endpoint(r, e, `${where}.${name}`, into);
        else s.remoteEndpoint = endpoint(r, e, `${where}.${name}`, into);
        break;
      }
      case 10: {
        const at2 = `${where}.annotations[${s.annotations.length}]`;
        r.expect(at2, wire, LEN, at);
        if (s.annotations.length >= ZIPKIN_LIMITS.annotationsPerSpan)
          r.fail(`${where}.annotations`, `more than the limit of ${ZIPKIN_LIMITS.annotationsPerSpan}`, at);
        s.annotations.push(annotation(r, r.lenEnd(at2, end), at2));
        break;
      }
      case 11: {
        r.expect(`${where}.tags`, wire, LEN, at);
        if (s.tags.size >= ZIPKIN_LIMITS.tagsPerSpan)
          r.fail(`${where}.tags`, `more than the limit of ${ZIPKIN_LIMITS.tagsPerSpan} tags`, at);
        tagEntry(r, r.lenEnd(`${where}.tags`, end), `${where}.tags`, s.tags);
        break;
      }
      case 12:
      case 13: {
        const name = field === 12 ? 'debug' : 'shared';
        r.expect(`${where}.${name}`, wire, VARINT, at);
        const on = r.varint(`${where}.${name}`, end) !== 0n;
        if (field === 12) s.debug ||= on;
        else s.shared = on;
        break;
      }
      default:
        r.skip(where, wire, end, at);
    }
  }
  if (!traceId) r.fail(`${where}.traceId`, 'is required', start);
  if (!id) r.fail(`${where}.id`, 'is required', start);
  s.traceId = traceIdFromBytes(traceId, `${where}.traceId`);
  s.id = spanIdFromBytes(id, `${where}.id`);
  s.parentId = spanIdFromBytes(parentId, `${where}.parentId`, true);
  if (s.timestamp + s.duration > MAX_MICROS)
    r.fail(`${where}.duration`, 'the span would end past the year 2262', start);
  return s;
}

/** Decodes a `ListOfSpans` in protobuf. Throws ZipkinDecodeError for anything malformed. */
export function decodeZipkinProto(body: Uint8Array, opts: ProtoOptions = {}): ZipkinSpan[] {
  const r = new WireReader(body);
  const end = body.length;
  const spans: ZipkinSpan[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const [field, wire] = r.tag('ListOfSpans', end);
    if (field !== 1) {
      r.skip('ListOfSpans', wire, end, at);
      continue;
    }
    const where = `span[${spans.length}]`;
    r.expect(where, wire, LEN, at);
    if (spans.length >= ZIPKIN_LIMITS.spans)
      r.fail('body', `more than the limit of ${ZIPKIN_LIMITS.spans} spans`, at);
    spans.push(span(r, r.lenEnd(where, end), where, opts));
  }
  return spans;
}

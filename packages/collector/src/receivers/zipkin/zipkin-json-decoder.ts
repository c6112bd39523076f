/**
 * Zipkin v2 JSON (`application/json`): a list of spans, as https://zipkin.io/zipkin-api/ defines
 * it. Unknown fields are ignored; known fields of the wrong type, ids that are not hex, and
 * anything past ZIPKIN_LIMITS refuse the request with the field's path in the message.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { checkJsonDepth } from './json-depth.ts';
import { ZipkinDecodeError } from './zipkin-decode-error.ts';
import { spanIdFromHex, traceIdFromHex } from './zipkin-ids.ts';
import {
  emptyEndpoint,
  MAX_MICROS,
  ZIPKIN_LIMITS,
  type ZipkinAnnotation,
  type ZipkinEndpoint,
  ZipkinKind,
  type ZipkinSpan,
} from './zipkin-span.ts';

type JsonObject = Record<string, unknown>;

const KINDS: Record<string, ZipkinKind> = {
  CLIENT: ZipkinKind.CLIENT,
  SERVER: ZipkinKind.SERVER,
  PRODUCER: ZipkinKind.PRODUCER,
  CONSUMER: ZipkinKind.CONSUMER,
};

function typeName(v: unknown): string {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, where: string, max: number): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ZipkinDecodeError(where, `expected a string, got ${typeName(v)}`);
  if (v.length > max)
    throw new ZipkinDecodeError(where, `${v.length} characters is more than the limit of ${max}`);
  return v;
}

function requiredText(v: unknown, where: string): string {
  if (v === undefined || v === null) throw new ZipkinDecodeError(where, 'is required');
  if (typeof v !== 'string') throw new ZipkinDecodeError(where, `expected a string, got ${typeName(v)}`);
  return v;
}

/** Epoch or duration microseconds: a non-negative whole JSON number. */
function micros(v: unknown, where: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new ZipkinDecodeError(
      where,
      `expected a whole number of microseconds ≥ 0, got ${typeof v === 'number' ? v : typeName(v)}`,
    );
  return BigInt(v);
}

function flag(v: unknown, where: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean')
    throw new ZipkinDecodeError(where, `expected true or false, got ${typeName(v)}`);
  return v;
}

function endpoint(v: unknown, where: string): ZipkinEndpoint | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new ZipkinDecodeError(where, `expected an object, got ${typeName(v)}`);
  const e = emptyEndpoint();
  e.serviceName = text(v.serviceName, `${where}.serviceName`, ZIPKIN_LIMITS.nameChars);
  e.ipv4 = text(v.ipv4, `${where}.ipv4`, 64);
  if (e.ipv4 !== '' && !isIPv4(e.ipv4))
    throw new ZipkinDecodeError(`${where}.ipv4`, `"${e.ipv4}" is not an IPv4 address`);
  e.ipv6 = text(v.ipv6, `${where}.ipv6`, 64).toLowerCase();
  if (e.ipv6 !== '' && !isIPv6(e.ipv6))
    throw new ZipkinDecodeError(`${where}.ipv6`, `"${e.ipv6}" is not an IPv6 address`);
  const port = v.port;
  if (port !== undefined && port !== null) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new ZipkinDecodeError(`${where}.port`, `expected a port number 0-65535, got ${String(port)}`);
    e.port = port;
  }
  return e;
}

function annotations(v: unknown, where: string): ZipkinAnnotation[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ZipkinDecodeError(where, `expected an array, got ${typeName(v)}`);
  if (v.length > ZIPKIN_LIMITS.annotationsPerSpan)
    throw new ZipkinDecodeError(
      where,
      `${v.length} annotations is more than the limit of ${ZIPKIN_LIMITS.annotationsPerSpan}`,
    );
  return v.map((a, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(a)) throw new ZipkinDecodeError(at, `expected an object, got ${typeName(a)}`);
    return {
      timestamp: micros(a.timestamp, `${at}.timestamp`),
      value: text(a.value, `${at}.value`, ZIPKIN_LIMITS.valueChars),
    };
  });
}

function tags(v: unknown, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (v === undefined || v === null) return out;
  if (!isObject(v)) throw new ZipkinDecodeError(where, `expected an object, got ${typeName(v)}`);
  const keys = Object.keys(v);
  if (keys.length > ZIPKIN_LIMITS.tagsPerSpan)
    throw new ZipkinDecodeError(
      where,
      `${keys.length} tags is more than the limit of ${ZIPKIN_LIMITS.tagsPerSpan}`,
    );
  for (const key of keys) {
    const at = `${where}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
    if (key.length > ZIPKIN_LIMITS.nameChars)
      throw new ZipkinDecodeError(
        at,
        `a key of ${key.length} characters is more than the limit of ${ZIPKIN_LIMITS.nameChars}`,
      );
    const value = v[key];
    // Zipkin defines string values; numbers and booleans from lax clients keep their JSON text.
    if (typeof value === 'number' || typeof value === 'boolean') out.set(key, String(value));
    else if (typeof value === 'string') out.set(key, text(value, at, ZIPKIN_LIMITS.valueChars));
    else throw new ZipkinDecodeError(at, `expected a string, got ${typeName(value)}`);
  }
  return out;
}

function span(v: unknown, where: string): ZipkinSpan {
  if (!isObject(v)) throw new ZipkinDecodeError(where, `expected a span object, got ${typeName(v)}`);
  const id = spanIdFromHex(requiredText(v.id, `${where}.id`), `${where}.id`);
  const parentText = text(v.parentId, `${where}.parentId`, 64);
  const kindText = text(v.kind, `${where}.kind`, 64);
  const kind = kindText === '' ? ZipkinKind.UNSPECIFIED : KINDS[kindText];
  if (kind === undefined)
    throw new ZipkinDecodeError(
      `${where}.kind`,
      `expected CLIENT, SERVER, PRODUCER or CONSUMER, got "${kindText}"`,
    );
  const timestamp = micros(v.timestamp, `${where}.timestamp`);
  const duration = micros(v.duration, `${where}.duration`);
  if (timestamp + duration > MAX_MICROS)
    throw new ZipkinDecodeError(`${where}.duration`, 'the span would end past the year 2262');
  return {
    traceId: traceIdFromHex(requiredText(v.traceId, `${where}.traceId`), `${where}.traceId`),
    id,
    parentId: parentText === '' ? '' : spanIdFromHex(parentText, `${where}.parentId`, true),
    kind,
    name: text(v.name, `${where}.name`, ZIPKIN_LIMITS.nameChars),
    timestamp,
    duration,
    localEndpoint: endpoint(v.localEndpoint, `${where}.localEndpoint`),
    remoteEndpoint: endpoint(v.remoteEndpoint, `${where}.remoteEndpoint`),
    annotations: annotations(v.annotations, `${where}.annotations`),
    tags: tags(v.tags, `${where}.tags`),
    debug: flag(v.debug, `${where}.debug`),
    shared: flag(v.shared, `${where}.shared`),
  };
}

/** Decodes a `ListOfSpans` in JSON. Throws ZipkinDecodeError for anything malformed. */
export function decodeZipkinJson(body: Uint8Array): ZipkinSpan[] {
  checkJsonDepth(body, ZIPKIN_LIMITS.jsonDepth);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
  } catch (err) {
    throw new ZipkinDecodeError('body', `invalid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed))
    throw new ZipkinDecodeError('body', `expected a JSON array of spans, got ${typeName(parsed)}`);
  if (parsed.length > ZIPKIN_LIMITS.spans)
    throw new ZipkinDecodeError(
      'body',
      `${parsed.length} spans is more than the limit of ${ZIPKIN_LIMITS.spans}`,
    );
  return parsed.map((s, i) => span(s, `span[${i}]`));
}

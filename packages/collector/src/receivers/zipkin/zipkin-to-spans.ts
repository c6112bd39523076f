/**
 * Zipkin v2 spans to Genba spans, following the OTel Collector's zipkin translator
 * (pkg/translator/zipkin/zipkinv2, with its semantic-convention gates at their current
 * defaults). Where this differs from it, the comment at the spot says why.
 */
import {
  type Attributes,
  emptyScope,
  emptySpan,
  type Resource,
  type Scope,
  type Span,
  SpanKind,
  type SpanLink,
  StatusCode,
} from '@genba/model';
import { RESOURCE_TAGS, SERVICE_NAME_SOURCE_TAG } from './resource-tags.ts';
import { eventFromAnnotation, linkFromTag, putAttribute, typedTagValue } from './tag-values.ts';
import { ZipkinKind, type ZipkinSpan } from './zipkin-span.ts';

export interface MappingOptions {
  /** Turn tags that look like ints, doubles and bools into typed attributes (the Collector's `parse_string_tags`). */
  parseStringTags: boolean;
}

/** Attribute set on a span that arrived without a start time; its start is then the Unix epoch. */
export const START_TIME_ABSENT = 'otel.zipkin.absentField.startTime';
/** Kept from Zipkin's own flags so that nothing the client said is lost (the Collector drops them). */
export const DEBUG_ATTRIBUTE = 'zipkin.debug';
export const SHARED_ATTRIBUTE = 'zipkin.shared';

const MAX_LINK_TAGS = 128;
const STATUS_CODES: Record<string, StatusCode> = {
  STATUS_CODE_UNSET: StatusCode.UNSET,
  STATUS_CODE_OK: StatusCode.OK,
  STATUS_CODE_ERROR: StatusCode.ERROR,
  // What OTel's Zipkin exporters write.
  Unset: StatusCode.UNSET,
  Ok: StatusCode.OK,
  Error: StatusCode.ERROR,
};
const KINDS: Record<ZipkinKind, SpanKind> = {
  [ZipkinKind.UNSPECIFIED]: SpanKind.UNSPECIFIED,
  [ZipkinKind.CLIENT]: SpanKind.CLIENT,
  [ZipkinKind.SERVER]: SpanKind.SERVER,
  [ZipkinKind.PRODUCER]: SpanKind.PRODUCER,
  [ZipkinKind.CONSUMER]: SpanKind.CONSUMER,
};
const TAG_KINDS: Record<string, SpanKind> = {
  internal: SpanKind.INTERNAL,
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

function take(tags: Map<string, string>, key: string): string | undefined {
  const v = tags.get(key);
  if (v !== undefined) tags.delete(key);
  return v;
}

/** One resource object per distinct service and resource tags, shared by the spans of a request. */
function resourceFor(z: ZipkinSpan, tags: Map<string, string>, cache: Map<string, Resource>): Resource {
  const attrs: [string, string][] = [];
  const service = z.localEndpoint?.serviceName ?? '';
  const source = take(tags, SERVICE_NAME_SOURCE_TAG);
  // No service name: no service.name attribute, as in the Collector (readers show unknown_service).
  if (service !== '') attrs.push([source || 'service.name', service]);
  // The Collector drops resource tags of a span without a service name; they are kept here.
  for (const [k, v] of tags) {
    if (!RESOURCE_TAGS.has(k)) continue;
    attrs.push([k, v]); // later entries win, so a `service.name` tag overrides the endpoint's, as in the Collector
    tags.delete(k);
  }
  const key = JSON.stringify(attrs);
  let r = cache.get(key);
  if (!r) {
    const attributes: Attributes = {};
    for (const [k, v] of attrs) putAttribute(attributes, k, v);
    r = { attributes, droppedAttributesCount: 0, schemaUrl: '' };
    cache.set(key, r);
  }
  return r;
}

function scopeFor(tags: Map<string, string>, cache: Map<string, Scope>): Scope {
  const name = take(tags, 'otel.scope.name') ?? take(tags, 'otel.library.name') ?? '';
  const version = take(tags, 'otel.scope.version') ?? take(tags, 'otel.library.version') ?? '';
  take(tags, 'otel.library.name');
  take(tags, 'otel.library.version');
  const key = `${name}\u0000${version}`;
  let s = cache.get(key);
  if (!s) {
    s = emptyScope();
    s.name = name;
    if (name !== '') s.version = version;
    cache.set(key, s);
  }
  return s;
}

function kindOf(z: ZipkinSpan, tags: Map<string, string>): SpanKind {
  if (z.kind !== ZipkinKind.UNSPECIFIED) return KINDS[z.kind];
  const tag = take(tags, 'span.kind');
  // The Collector maps only "internal" here; the other OpenTracing kinds are as clear.
  return (tag !== undefined && TAG_KINDS[tag.toLowerCase()]) || SpanKind.UNSPECIFIED;
}

function setStatus(span: Span, tags: Map<string, string>): void {
  const code = take(tags, 'otel.status_code');
  if (code !== undefined) {
    span.status.code = STATUS_CODES[code] ?? StatusCode.UNSET;
    span.status.message = take(tags, 'otel.status_description') ?? '';
  }
  const error = tags.get('error');
  if (error === undefined) return;
  // Any `error` tag means an error, as in Zipkin; "true" carries nothing more and is dropped,
  // another value stays a tag and, lacking a description, becomes the status message.
  span.status.code = StatusCode.ERROR;
  if (error === 'true') tags.delete('error');
  else if (span.status.message === '') span.status.message = error;
}

function links(tags: Map<string, string>): SpanLink[] {
  const out: SpanLink[] = [];
  for (let i = 0; i < MAX_LINK_TAGS; i++) {
    const value = tags.get(`otlp.link.${i}`);
    if (value === undefined) break;
    const link = linkFromTag(value);
    // One that does not parse stays a tag instead of failing the request, as the Collector would.
    if (link) {
      out.push(link);
      tags.delete(`otlp.link.${i}`);
    }
  }
  return out;
}

function setAttributes(span: Span, z: ZipkinSpan, tags: Map<string, string>, opts: MappingOptions): void {
  const a = span.attributes;
  for (const [k, v] of tags) putAttribute(a, k, opts.parseStringTags ? typedTagValue(v) : v);
  // Endpoint attributes come after the tags and win over tags of the same name, as in the Collector.
  const local = z.localEndpoint;
  if (local) {
    const ip = local.ipv6 || local.ipv4;
    if (ip) a['network.local.address'] = ip;
    if (local.port > 0) a['network.local.port'] = BigInt(local.port);
  }
  const remote = z.remoteEndpoint;
  if (remote) {
    if (remote.serviceName) a['service.peer.name'] = remote.serviceName;
    const ip = remote.ipv6 || remote.ipv4;
    if (ip) a['network.peer.address'] = ip;
    if (remote.port > 0) a['network.peer.port'] = BigInt(remote.port);
  }
  if (z.debug) a[DEBUG_ATTRIBUTE] = true;
  if (z.shared) a[SHARED_ATTRIBUTE] = true;
}

function toSpan(
  z: ZipkinSpan,
  opts: MappingOptions,
  resources: Map<string, Resource>,
  scopes: Map<string, Scope>,
): Span {
  const tags = new Map(z.tags);
  const span = emptySpan(resourceFor(z, tags, resources), scopeFor(tags, scopes));
  span.traceId = z.traceId;
  span.spanId = z.id;
  span.parentSpanId = z.parentId === z.id ? '' : z.parentId;
  span.traceState = take(tags, 'w3c.tracestate') ?? '';
  // A reported Zipkin span was sampled (debug ones forcibly so).
  span.flags = 1;
  span.name = z.name;
  span.kind = kindOf(z, tags);
  setStatus(span, tags);
  span.links = links(tags);
  setAttributes(span, z, tags, opts);
  span.startTimeUnixNano = z.timestamp * 1000n;
  span.endTimeUnixNano = (z.timestamp + z.duration) * 1000n;
  if (z.timestamp === 0n) span.attributes[START_TIME_ABSENT] = true;
  span.events = z.annotations.map((an) => {
    const e = eventFromAnnotation(an.value);
    return { timeUnixNano: an.timestamp * 1000n, ...e };
  });
  return span;
}

export function zipkinToSpans(zspans: ZipkinSpan[], opts: MappingOptions): Span[] {
  const resources = new Map<string, Resource>();
  const scopes = new Map<string, Scope>();
  return zspans.map((z) => toSpan(z, opts, resources, scopes));
}

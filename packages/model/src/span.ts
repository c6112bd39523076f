/**
 * The span model every Genba package speaks. It mirrors OTLP's `Span` closely so that
 * no information is lost between receivers, storage and APIs.
 */
import type { Attributes } from './attributes.ts';

/** OTLP `Span.SpanKind` numbering. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP `Status.StatusCode` numbering. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface Resource {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface Scope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

export interface Status {
  code: StatusCode;
  message: string;
}

/**
 * One span. Ids are lowercase hex (32 and 16 characters); `parentSpanId` is '' for a root.
 * Times are nanoseconds since the Unix epoch as `bigint`, so no precision is lost.
 * `resource` and `scope` are shared by reference between spans of one batch.
 */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: Status;
  resource: Resource;
  scope: Scope;
}

export function emptyResource(): Resource {
  return { attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
}

export function emptyScope(): Scope {
  return { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
}

/** A span with every field at its OTLP default, for decoders and builders to fill in. */
export function emptySpan(resource: Resource, scope: Scope): Span {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: '',
    kind: SpanKind.UNSPECIFIED,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: StatusCode.UNSET, message: '' },
    resource,
    scope,
  };
}

/** The service a span belongs to: `service.name` of its resource, as OTel defines it. */
export function serviceName(span: Span): string {
  const v = span.resource.attributes['service.name'];
  return typeof v === 'string' && v !== '' ? v : 'unknown_service';
}

export function durationNano(span: Span): bigint {
  const d = span.endTimeUnixNano - span.startTimeUnixNano;
  return d < 0n ? 0n : d;
}

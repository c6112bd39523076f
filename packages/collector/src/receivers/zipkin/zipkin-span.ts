/**
 * A Zipkin v2 span as both decoders hand it over: ids already checked and normalised to
 * lowercase hex (trace ids 32 digits, span ids 16), times still in microseconds.
 */

export interface ZipkinEndpoint {
  serviceName: string;
  /** Text form of the address; IPv6 when both were sent, as the Collector keeps the last one written. */
  ipv4: string;
  ipv6: string;
  /** 0 when absent. */
  port: number;
}

export interface ZipkinAnnotation {
  /** Epoch microseconds. */
  timestamp: bigint;
  value: string;
}

export const ZipkinKind = {
  UNSPECIFIED: 0,
  CLIENT: 1,
  SERVER: 2,
  PRODUCER: 3,
  CONSUMER: 4,
} as const;
export type ZipkinKind = (typeof ZipkinKind)[keyof typeof ZipkinKind];

export interface ZipkinSpan {
  traceId: string;
  id: string;
  /** '' for a root span. */
  parentId: string;
  kind: ZipkinKind;
  name: string;
  /** Epoch microseconds; 0n when absent. */
  timestamp: bigint;
  /** Microseconds; 0n when absent. */
  duration: bigint;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations: ZipkinAnnotation[];
  /** A Map, so that a key such as `__proto__` is only ever data. */
  tags: Map<string, string>;
  debug: boolean;
  shared: boolean;
}

/**
 * Bounds on one request beyond its byte size. Past any of them the whole request is refused
 * with a message naming the field, so a hostile body cannot make the decoder build huge objects.
 */
export const ZIPKIN_LIMITS = {
  spans: 100_000,
  tagsPerSpan: 1_000,
  annotationsPerSpan: 1_000,
  /** Span names, service names and tag keys. */
  nameChars: 4_096,
  /** Tag values and annotation values (stack traces and SQL fit). */
  valueChars: 65_536,
  /** JSON nesting; a valid body nests 4 deep. */
  jsonDepth: 32,
} as const;

export function emptyEndpoint(): ZipkinEndpoint {
  return { serviceName: '', ipv4: '', ipv6: '', port: 0 };
}

/** The latest microsecond whose nanoseconds still fit a signed 64-bit integer (year 2262). */
export const MAX_MICROS = 9_223_372_036_854_775n;

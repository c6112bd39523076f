/**
 * OTLP exporter settings from options and the OTEL_EXPORTER_OTLP_* environment, shared by the
 * HTTP and gRPC exporters. Signal-specific variables (…_TRACES_…) win over generic ones, and
 * explicit options win over both. Bad values are reported once and ignored.
 */
import { reportOnce } from '../diag.ts';
import { envInt, envString } from './env.ts';
import { DEFAULT_MAX_ATTEMPTS } from './retry.ts';

export type Compression = 'gzip' | 'none';

export const DEFAULT_HTTP_URL = 'http://localhost:4318/v1/traces';
export const DEFAULT_GRPC_URL = 'http://localhost:4317';
export const DEFAULT_TIMEOUT_MILLIS = 10_000;

/** The URL if it is an absolute http(s) URL; otherwise reported once and undefined. */
export function checkEndpoint(url: string, source: string): URL | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    reportOnce(`endpoint:${source}`, `ignoring ${source}=${JSON.stringify(url)}: not an absolute URL`);
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    reportOnce(
      `endpoint:${source}`,
      `ignoring ${source}=${JSON.stringify(url)}: only http and https are supported`,
    );
    return undefined;
  }
  return u;
}

/** Appends `v1/traces` to a base URL's path, with exactly one slash between. */
function withTracesPath(base: URL): string {
  const u = new URL(base.href);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/v1/traces`;
  return u.href;
}

/**
 * `url` with `/v1/traces` when it has no path of its own, else as given: Genba's rule for
 * TRACING_ENDPOINT and for init's `endpoint`. An unparsable URL comes back unchanged, for the
 * exporter to report.
 */
export function withDefaultTracesPath(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  return u.pathname === '/' ? withTracesPath(u) : url;
}

/**
 * OTLP/HTTP: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as-is; else OTEL_EXPORTER_OTLP_ENDPOINT with
 * `/v1/traces` appended (always, as the spec says for the generic variable); else Genba's
 * TRACING_ENDPOINT, which gets `/v1/traces` only when it has no path of its own, so both
 * `http://host:4318` and `http://host:4318/v1/traces` work; else localhost:4318.
 */
export function httpUrlFromEnv(): string {
  const traces = envString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces !== undefined && checkEndpoint(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')) return traces;
  const generic = envString('OTEL_EXPORTER_OTLP_ENDPOINT');
  const genericUrl =
    generic === undefined ? undefined : checkEndpoint(generic, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (genericUrl) return withTracesPath(genericUrl);
  const genba = envString('TRACING_ENDPOINT');
  const genbaUrl = genba === undefined ? undefined : checkEndpoint(genba, 'TRACING_ENDPOINT');
  if (genbaUrl) return withDefaultTracesPath(genbaUrl.href);
  return DEFAULT_HTTP_URL;
}

/** OTLP/gRPC: the traces or generic endpoint (only scheme, host and port matter), else localhost:4317. */
export function grpcUrlFromEnv(): string {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    const v = envString(name);
    if (v !== undefined && checkEndpoint(v, name)) return v;
  }
  return DEFAULT_GRPC_URL;
}

/**
 * `k=v,k2=v2` as OTEL_EXPORTER_OTLP_HEADERS spells it (the W3C baggage shape): keys and values
 * trimmed and percent-decoded. A malformed entry is reported once and skipped.
 */
export function parseHeaderList(text: string, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? decode(entry.slice(0, eq).trim()) : undefined;
    const value = eq > 0 ? decode(entry.slice(eq + 1).trim()) : undefined;
    if (!key || value === undefined) {
      reportOnce(`headers:${source}`, `ignoring a malformed entry in ${source}: ${JSON.stringify(entry)}`);
      continue;
    }
    out[key] = value;
  }
  return out;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Generic headers, overridden by trace headers, overridden by explicit ones (names compared lowercased). */
export function resolveHeaders(explicit: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    const v = envString(name);
    if (v === undefined) continue;
    for (const [k, val] of Object.entries(parseHeaderList(v, name))) out[k.toLowerCase()] = val;
  }
  for (const [k, val] of Object.entries(explicit ?? {})) out[k.toLowerCase()] = val;
  return out;
}

export function resolveCompression(explicit: Compression | undefined): Compression {
  if (explicit !== undefined) {
    if (explicit === 'gzip' || explicit === 'none') return explicit;
    reportOnce(
      'option:compression',
      `ignoring compression=${JSON.stringify(explicit)}: expected gzip or none`,
    );
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION']) {
    const v = envString(name)?.toLowerCase();
    if (v === undefined) continue;
    if (v === 'gzip' || v === 'none') return v;
    reportOnce(`env:${name}`, `ignoring ${name}=${JSON.stringify(v)}: expected gzip or none`);
  }
  return 'none';
}

/** Explicit, else the traces then the generic OTEL_EXPORTER_OTLP_*TIMEOUT (ms), else 10 s. */
export function resolveTimeout(explicit: number | undefined): number {
  if (explicit !== undefined) {
    if (Number.isFinite(explicit) && explicit > 0) return explicit;
    reportOnce('option:timeoutMillis', `ignoring timeoutMillis=${explicit}: expected a positive number`);
  }
  const generic = envInt('OTEL_EXPORTER_OTLP_TIMEOUT', DEFAULT_TIMEOUT_MILLIS, 1);
  return envInt('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', generic, 1);
}

/** What both OTLP exporters take from their options and the environment to send a request. */
export interface SendSettings {
  headers: Record<string, string>;
  gzip: boolean;
  timeoutMillis: number;
  maxAttempts: number;
}

export function resolveSendSettings(options: {
  headers?: Record<string, string>;
  compression?: Compression;
  timeoutMillis?: number;
  maxAttempts?: number;
}): SendSettings {
  return {
    headers: resolveHeaders(options.headers),
    gzip: resolveCompression(options.compression) === 'gzip',
    timeoutMillis: resolveTimeout(options.timeoutMillis),
    maxAttempts: Math.max(1, Math.trunc(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)),
  };
}

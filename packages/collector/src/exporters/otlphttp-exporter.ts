/**
 * The Collector's `otlphttp` exporter: POST {endpoint}/v1/traces (or `traces_endpoint` as is)
 * with an OTLP protobuf (or JSON) body, gzip-compressed by default. Retryable answers are the
 * OTLP/HTTP ones (429, 502, 503, 504, honouring Retry-After) and transport failures; any other
 * status is permanent and the batch is dropped and counted.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Span } from '@genba/model';
import { decodeTraceResponse, encodeTraceRequest, encodeTraceRequestJson } from '@genba/otlp';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';
import { durationString } from '../config/duration.ts';
import type { AttemptResult } from './export-retry.ts';
import type { ExporterOptions } from './export-settings.ts';
import {
  compressionConfig,
  headersConfig,
  parseConfig,
  retryOnFailureConfig,
  sendingQueueConfig,
  stageSettings,
} from './export-settings.ts';
import type { ExportTransport } from './export-stage.ts';
import { ExportStage } from './export-stage.ts';
import { decodeRpcStatusDetails } from './otlp-rpc-status.ts';

const gzipAsync = promisify(gzip);

const httpUrl = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.search === '';
    } catch {
      return false;
    }
  },
  {
    message:
      'expected an http:// or https:// URL without credentials or query, such as http://127.0.0.1:4318',
  },
);

export const otlphttpExporterConfig = z
  .strictObject({
    /** Base URL; spans go to endpoint + '/v1/traces'. */
    endpoint: httpUrl.optional(),
    /** Full URL for spans; wins over `endpoint`. */
    traces_endpoint: httpUrl.optional(),
    headers: headersConfig,
    compression: compressionConfig,
    encoding: z.enum(['proto', 'json']).default('proto'),
    /** Per attempt. */
    timeout: durationString.default('30s'),
    retry_on_failure: retryOnFailureConfig.prefault({}),
    sending_queue: sendingQueueConfig.prefault({}),
  })
  .refine((c) => c.endpoint !== undefined || c.traces_endpoint !== undefined, {
    message: 'set endpoint (such as http://127.0.0.1:4318) or traces_endpoint',
  });

export type OtlphttpExporterConfig = z.input<typeof otlphttpExporterConfig>;

/** The URL spans are posted to. */
export function tracesUrl(c: { endpoint?: string; traces_endpoint?: string }): string {
  if (c.traces_endpoint) return c.traces_endpoint;
  return `${(c.endpoint ?? '').replace(/\/+$/, '')}/v1/traces`;
}

const RETRYABLE = new Set([429, 502, 503, 504]);
/** Enough for any OTLP answer; a backend sending more is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** `Retry-After` as seconds or an HTTP date → milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^[A-Za-z]{3}/.test(v)) return undefined; // every HTTP-date form starts with a day name
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readBounded(res: Response): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    total += value.byteLength;
    if (total >= MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
}

/** The message of an OTLP/HTTP error body (google.rpc.Status in protobuf or JSON), else its text. */
function errorMessage(body: Buffer, contentType: string): string {
  if (contentType.includes('protobuf')) {
    const s = decodeRpcStatusDetails(body);
    if (s?.message) return s.message;
  }
  const textBody = body.toString('utf8');
  if (contentType.includes('json')) {
    try {
      const m = (JSON.parse(textBody) as { message?: unknown }).message;
      if (typeof m === 'string') return m;
    } catch {}
  }
  return textBody.slice(0, 300);
}

function partialSuccess(body: Buffer, contentType: string): { rejected: number; message: string } {
  if (body.length === 0) return { rejected: 0, message: '' };
  try {
    if (contentType.includes('json')) {
      const p = (JSON.parse(body.toString('utf8')) as { partialSuccess?: Record<string, unknown> })
        .partialSuccess;
      return { rejected: Number(p?.rejectedSpans ?? 0) || 0, message: String(p?.errorMessage ?? '') };
    }
    const r = decodeTraceResponse(body);
    return { rejected: r.rejectedSpans, message: r.errorMessage };
  } catch {
    return { rejected: 0, message: '' }; // acknowledged; an unreadable body cannot undo that
  }
}

class HttpTransport implements ExportTransport<Buffer> {
  readonly target: string;
  #headers: Headers;
  #gzip: boolean;
  #json: boolean;

  constructor(url: string, headers: Record<string, string>, gzipBody: boolean, json: boolean) {
    this.target = url;
    this.#gzip = gzipBody;
    this.#json = json;
    // Headers: case-insensitive, so a configured Content-Type cannot sit beside ours.
    this.#headers = new Headers(headers);
    this.#headers.set('content-type', json ? 'application/json' : 'application/x-protobuf');
    if (gzipBody) this.#headers.set('content-encoding', 'gzip');
    else this.#headers.delete('content-encoding');
  }

  async prepare(spans: Span[]): Promise<Buffer> {
    const body = this.#json
      ? Buffer.from(encodeTraceRequestJson(spans))
      : Buffer.from(encodeTraceRequest(spans));
    return this.#gzip ? await gzipAsync(body) : body;
  }

  async send(payload: Buffer, timeoutMs: number): Promise<AttemptResult> {
    let res: Response;
    let body: Buffer;
    try {
      res = await fetch(this.target, {
        method: 'POST',
        headers: this.#headers,
        body: payload,
        signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
      });
      body = await readBounded(res);
    } catch (err) {
      // No answer (refused, reset, timed out): the backend may be restarting.
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why = e.cause?.code ?? e.cause?.message ?? e.message;
      return { ok: false, retryable: true, error: `POST ${this.target} failed: ${e.name}: ${why}` };
    }
    const contentType = (res.headers.get('content-type') ?? '').toLowerCase();
    if (res.ok) return { ok: true, ...partialSuccess(body, contentType) };
    const error = `${this.target} answered ${res.status}: ${errorMessage(body, contentType)}`;
    if (!RETRYABLE.has(res.status)) return { ok: false, retryable: false, error };
    return { ok: false, retryable: true, error, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
  }

  close(): void {}
}

export class OtlpHttpExporter implements Stage {
  #stage: ExportStage<Buffer>;

  constructor(config: OtlphttpExporterConfig, ctx: ComponentContext, options: ExporterOptions = {}) {
    const name = options.name ?? 'otlphttp';
    const c = parseConfig(otlphttpExporterConfig, config, name);
    const transport = new HttpTransport(
      tracesUrl(c),
      c.headers,
      c.compression === 'gzip',
      c.encoding === 'json',
    );
    this.#stage = new ExportStage(transport, stageSettings(name, c), ctx);
  }

  consume(spans: Span[]): Promise<void> {
    return this.#stage.consume(spans);
  }

  shutdown(): Promise<void> {
    return this.#stage.shutdown();
  }
}

export function createOtlphttpExporter(
  config: OtlphttpExporterConfig,
  ctx: ComponentContext,
  options?: ExporterOptions,
): OtlpHttpExporter {
  return new OtlpHttpExporter(config, ctx, options);
}

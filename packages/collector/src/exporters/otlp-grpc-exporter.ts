/**
 * The Collector's `otlp` exporter: OTLP/gRPC TraceService/Export to another Genba, a Collector
 * or any OTLP backend. Each batch is encoded once with Genba's codec and the bytes are sent on
 * every attempt; grpc-js compresses them when `compression: gzip` (the default).
 * Only plaintext gRPC is supported: `tls` may be omitted or say `insecure: true`.
 */
import type { Span } from '@genba/model';
import { decodeTraceResponse, encodeTraceRequest, TRACE_SERVICE_EXPORT_PATH } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
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

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export const otlpExporterConfig = z.strictObject({
  /** host:port; `http://host:port` is taken as the same. */
  endpoint: z
    .string()
    .transform((s) =>
      s
        .trim()
        .replace(/^http:\/\//, '')
        .replace(/\/$/, ''),
    )
    .refine((s) => !s.startsWith('https://'), {
      message: 'TLS is not supported by the otlp exporter yet; use a plaintext host:port',
    })
    .refine((s) => HOST_PORT.test(s), { message: 'expected host:port, such as 127.0.0.1:4317' }),
  tls: z
    .strictObject({ insecure: z.boolean().default(true) })
    .refine((t) => t.insecure, {
      message: 'only plaintext gRPC is supported: set tls.insecure to true (TLS is not supported yet)',
    })
    .optional(),
  headers: headersConfig.refine((h) => Object.keys(h).every((k) => !k.toLowerCase().endsWith('-bin')), {
    message: 'binary (-bin) metadata headers are not supported',
  }),
  compression: compressionConfig,
  /** Per attempt. */
  timeout: durationString.default('5s'),
  retry_on_failure: retryOnFailureConfig.prefault({}),
  sending_queue: sendingQueueConfig.prefault({}),
});

export type OtlpExporterConfig = z.input<typeof otlpExporterConfig>;

// grpc-js compressionAlgorithms: 0 identity, 2 gzip.
const GZIP = 2;

/** The OTLP spec's retryable codes; RESOURCE_EXHAUSTED only when the server sent RetryInfo. */
const RETRYABLE = new Set<number>([
  grpc.status.CANCELLED,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.ABORTED,
  grpc.status.OUT_OF_RANGE,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

const passBytes = (b: Buffer) => b;

class GrpcTransport implements ExportTransport<Buffer> {
  readonly target: string;
  #client: grpc.Client;
  #metadata: grpc.Metadata;

  constructor(endpoint: string, headers: Record<string, string>, gzip: boolean) {
    this.target = endpoint;
    this.#client = new grpc.Client(endpoint, grpc.credentials.createInsecure(), {
      // Retries are ours (OTLP's rules, counted), never the channel's as well.
      'grpc.enable_retries': 0,
      'grpc.default_compression_algorithm': gzip ? GZIP : 0,
      // grpc-js waits up to 120 s between reconnects by default; a backend that is back (a load
      // balancer's health check already saw it) should get traffic within seconds.
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2000,
    });
    this.#metadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers)) this.#metadata.set(k.toLowerCase(), v);
  }

  async prepare(spans: Span[]): Promise<Buffer> {
    const b = encodeTraceRequest(spans);
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }

  send(payload: Buffer, timeoutMs: number): Promise<AttemptResult> {
    return new Promise((resolve) => {
      this.#client.makeUnaryRequest(
        TRACE_SERVICE_EXPORT_PATH,
        passBytes,
        decodeTraceResponse,
        payload,
        this.#metadata.clone(),
        { deadline: timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY },
        (err, response) => {
          if (!err) {
            resolve({
              ok: true,
              rejected: response?.rejectedSpans ?? 0,
              message: response?.errorMessage ?? '',
            });
            return;
          }
          const code = typeof err.code === 'number' ? err.code : grpc.status.UNKNOWN;
          const details = err.metadata?.get('grpc-status-details-bin')[0];
          const retryAfterMs = Buffer.isBuffer(details)
            ? decodeRpcStatusDetails(details)?.retryDelayMs
            : undefined;
          const retryable =
            code === grpc.status.RESOURCE_EXHAUSTED ? retryAfterMs !== undefined : RETRYABLE.has(code);
          const error = `${this.target} answered ${grpc.status[code] ?? code}: ${(err.details || err.message).trim()}`;
          resolve({ ok: false, retryable, error, retryAfterMs });
        },
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}

export class OtlpGrpcExporter implements Stage {
  #stage: ExportStage<Buffer>;

  constructor(config: OtlpExporterConfig, ctx: ComponentContext, options: ExporterOptions = {}) {
    const name = options.name ?? 'otlp';
    const c = parseConfig(otlpExporterConfig, config, name);
    const transport = new GrpcTransport(c.endpoint, c.headers, c.compression === 'gzip');
    this.#stage = new ExportStage(transport, stageSettings(name, c), ctx);
  }

  consume(spans: Span[]): Promise<void> {
    return this.#stage.consume(spans);
  }

  shutdown(): Promise<void> {
    return this.#stage.shutdown();
  }
}

export function createOtlpExporter(
  config: OtlpExporterConfig,
  ctx: ComponentContext,
  options?: ExporterOptions,
): OtlpGrpcExporter {
  return new OtlpGrpcExporter(config, ctx, options);
}

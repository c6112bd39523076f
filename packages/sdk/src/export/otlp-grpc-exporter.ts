/**
 * OTLP/gRPC trace exporter. @grpc/grpc-js is an optional peer dependency, so it is imported on
 * the first export only: applications exporting over HTTP never load it. Requests are encoded
 * once per export with Genba's codec and sent as pre-serialized bytes on every attempt.
 */
import { decodeTraceResponse, encodeTraceRequest, TRACE_SERVICE_EXPORT_PATH } from '@genba/otlp';
import type * as Grpc from '@grpc/grpc-js';
import { reportOnce } from '../diag.ts';
import type { ExportResult, SpanData, SpanExporter } from '../types.ts';
import { ExportResultCode } from '../types.ts';
import { OtlpExportError } from './export-error.ts';
import type { Compression, SendSettings } from './otlp-config.ts';
import { checkEndpoint, grpcUrlFromEnv, resolveSendSettings } from './otlp-config.ts';
import type { AttemptOutcome } from './retry.ts';
import { asError, failed, isRetryableGrpcStatus, runUntracedWithRetry } from './retry.ts';
import { decodeRpcStatus } from './rpc-status.ts';

export interface OtlpGrpcExporterOptions {
  /** http://host:port (plaintext) or https://host:port (TLS); a path is ignored. */
  url?: string;
  /** Sent as gRPC metadata. */
  headers?: Record<string, string>;
  compression?: Compression;
  /** Budget of one export, retries and waits included. */
  timeoutMillis?: number;
  /** Attempts per export, the first included. */
  maxAttempts?: number;
}

type GrpcModule = typeof Grpc;

let grpcLoading: Promise<GrpcModule> | undefined;

/** The grpc-js module, or a rejection that says how to install it. */
function loadGrpc(): Promise<GrpcModule> {
  grpcLoading ??= import('@grpc/grpc-js').then(
    (m) => m,
    (err: unknown) => {
      grpcLoading = undefined; // installing it later should work without a restart
      throw new Error(
        `OtlpGrpcExporter needs the optional peer dependency @grpc/grpc-js; install it with \`npm install @grpc/grpc-js\` (${asError(err).message})`,
      );
    },
  );
  return grpcLoading;
}

// grpc-js compressionAlgorithms.gzip; a constant so the option can be built before the import.
const GRPC_GZIP = 2;

const passBytes = (b: Buffer) => b;
const readResponse = (b: Buffer) => decodeTraceResponse(b);

export class OtlpGrpcExporter implements SpanExporter {
  #url: URL;
  #send: SendSettings;
  #client?: Grpc.Client;
  #shutdown = false;

  constructor(options: OtlpGrpcExporterOptions = {}) {
    const fromOption = options.url === undefined ? undefined : checkEndpoint(options.url, 'url');
    this.#url = fromOption ?? new URL(grpcUrlFromEnv());
    this.#send = resolveSendSettings(options);
  }

  get url(): string {
    return this.#url.href;
  }

  /** Points later exports at `url`. An invalid URL is reported once and the old one kept; returns whether it took. */
  setEndpoint(url: string): boolean {
    const u = checkEndpoint(url, 'setEndpoint');
    if (!u) return false;
    this.#url = u;
    // Calls already under way finish on the old channel; the next one opens a new channel.
    this.#client?.close();
    this.#client = undefined;
    return true;
  }

  async export(spans: readonly SpanData[]): Promise<ExportResult> {
    if (this.#shutdown) return failed(new Error('OTLP/gRPC exporter is shut down'));
    if (spans.length === 0) return { code: ExportResultCode.SUCCESS, retries: 0 };
    try {
      const grpc = await loadGrpc();
      const bytes = encodeTraceRequest(spans);
      const request = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return await runUntracedWithRetry(
        (remaining) => this.#attempt(grpc, request, remaining, spans.length),
        this.#send,
      );
    } catch (err) {
      return failed(asError(err));
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#shutdown = true;
    this.#client?.close();
    this.#client = undefined;
  }

  #clientFor(grpc: GrpcModule): Grpc.Client {
    if (this.#client) return this.#client;
    const u = this.#url;
    const tls = u.protocol === 'https:';
    const target = `${u.hostname}:${u.port || (tls ? '443' : '80')}`;
    const credentials = tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.#client = new grpc.Client(target, credentials, {
      // Retries are ours (with the OTLP rules and our counting), not the channel's.
      'grpc.enable_retries': 0,
      ...(this.#send.gzip ? { 'grpc.default_compression_algorithm': GRPC_GZIP } : {}),
    });
    return this.#client;
  }

  #attempt(grpc: GrpcModule, request: Buffer, remaining: number, count: number): Promise<AttemptOutcome> {
    const client = this.#clientFor(grpc);
    const metadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(this.#send.headers)) metadata.set(k, v);
    const target = this.#url.host;
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        TRACE_SERVICE_EXPORT_PATH,
        passBytes,
        readResponse,
        request,
        metadata,
        { deadline: Date.now() + remaining },
        (err, response) => {
          if (!err) {
            if (response && (response.rejectedSpans > 0 || response.errorMessage !== '')) {
              const why = response.errorMessage ? `: ${response.errorMessage}` : '';
              reportOnce(
                'otlp-grpc:partial-success',
                `OTLP/gRPC server rejected ${response.rejectedSpans} of ${count} spans${why}`,
              );
            }
            resolve({ ok: true });
            return;
          }
          const code = typeof err.code === 'number' ? err.code : grpc.status.UNKNOWN;
          const details = err.metadata?.get('grpc-status-details-bin')[0];
          const retryDelay = Buffer.isBuffer(details)
            ? decodeRpcStatus(details)?.retryDelayMillis
            : undefined;
          const error = new OtlpExportError(
            `OTLP/gRPC export to ${target} failed: ${grpc.status[code] ?? code}: ${(err.details || err.message).trim()}`,
            { grpcCode: code, cause: err },
          );
          const retryable = isRetryableGrpcStatus(code, retryDelay !== undefined);
          resolve(
            retryDelay === undefined
              ? { ok: false, retryable, error }
              : { ok: false, retryable, error, retryAfterMillis: retryDelay },
          );
        },
      );
    });
  }
}

/**
 * OTLP/HTTP trace exporter on node's own http/https modules. Not global fetch: OTel's undici
 * instrumentation would trace it, whereas the http instrumentation honours the suppression
 * context every request here runs in. One keep-alive agent per protocol, retries per
 * runUntracedWithRetry, and a body encoded (and gzipped) once per export, not once per attempt.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { decodeTraceResponse, encodeTraceRequest, encodeTraceRequestJson } from '@genba/otlp';
import { reportOnce } from '../diag.ts';
import type { ExportResult, SpanData, SpanExporter } from '../types.ts';
import { ExportResultCode } from '../types.ts';
import { OtlpExportError } from './export-error.ts';
import type { Compression, SendSettings } from './otlp-config.ts';
import { checkEndpoint, httpUrlFromEnv, resolveSendSettings } from './otlp-config.ts';
import type { AttemptOutcome } from './retry.ts';
import {
  asError,
  failed,
  isRetryableHttpStatus,
  isRetryableNetworkError,
  parseRetryAfter,
  runUntracedWithRetry,
} from './retry.ts';
import { decodeRpcStatus } from './rpc-status.ts';

const gzip = promisify(gzipCb);

export interface OtlpHttpExporterOptions {
  /** Full URL including the path; default from the OTEL_EXPORTER_OTLP_* / TRACING_ENDPOINT env. */
  url?: string;
  headers?: Record<string, string>;
  encoding?: 'protobuf' | 'json';
  compression?: Compression;
  /** Budget of one export, retries and waits included. */
  timeoutMillis?: number;
  /** Attempts per export, the first included. */
  maxAttempts?: number;
}

/** Bytes of an error response kept for the message; the rest is read and discarded. */
const MAX_KEPT_RESPONSE = 64 * 1024;

interface Response {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class OtlpHttpExporter implements SpanExporter {
  #url: URL;
  #send: SendSettings;
  #json: boolean;
  #httpAgent?: http.Agent;
  #httpsAgent?: https.Agent;
  #shutdown = false;

  constructor(options: OtlpHttpExporterOptions = {}) {
    const fromOption = options.url === undefined ? undefined : checkEndpoint(options.url, 'url');
    this.#url = fromOption ?? new URL(httpUrlFromEnv());
    this.#send = resolveSendSettings(options);
    this.#json = options.encoding === 'json';
  }

  get url(): string {
    return this.#url.href;
  }

  /** Points later exports at `url`. An invalid URL is reported once and the old one kept; returns whether it took. */
  setEndpoint(url: string): boolean {
    const u = checkEndpoint(url, 'setEndpoint');
    if (u) this.#url = u;
    return u !== undefined;
  }

  async export(spans: readonly SpanData[]): Promise<ExportResult> {
    if (this.#shutdown) return failed(new Error('OTLP/HTTP exporter is shut down'));
    // OTLP asks senders not to send empty envelopes.
    if (spans.length === 0) return { code: ExportResultCode.SUCCESS, retries: 0 };
    try {
      const body = await this.#encode(spans);
      // Each attempt reads the endpoint afresh, so a retry after setEndpoint() goes to the new one.
      return await runUntracedWithRetry(
        (remaining) => this.#attempt(this.#url, body, remaining, spans.length),
        this.#send,
      );
    } catch (err) {
      return failed(asError(err));
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#shutdown = true;
    this.#httpAgent?.destroy();
    this.#httpsAgent?.destroy();
  }

  async #encode(spans: readonly SpanData[]): Promise<Buffer> {
    const raw = this.#json ? Buffer.from(encodeTraceRequestJson(spans)) : asBuffer(encodeTraceRequest(spans));
    return this.#send.gzip ? gzip(raw) : raw;
  }

  #agent(url: URL): http.Agent {
    if (url.protocol === 'https:') {
      this.#httpsAgent ??= new https.Agent({ keepAlive: true });
      return this.#httpsAgent;
    }
    this.#httpAgent ??= new http.Agent({ keepAlive: true });
    return this.#httpAgent;
  }

  async #attempt(url: URL, body: Buffer, remaining: number, count: number): Promise<AttemptOutcome> {
    let res: Response;
    try {
      res = await this.#post(url, body, remaining);
    } catch (err) {
      const error = asError(err);
      return {
        ok: false,
        retryable: isRetryableNetworkError(err),
        error: new OtlpExportError(`OTLP/HTTP export to ${url.href} failed: ${error.message}`, {
          cause: err,
        }),
      };
    }
    if (res.status >= 200 && res.status < 300) {
      this.#checkPartialSuccess(res, count);
      return { ok: true };
    }
    const retryable = isRetryableHttpStatus(res.status);
    const detail = errorDetail(res);
    const error = new OtlpExportError(
      `OTLP/HTTP export to ${url.href} failed: HTTP ${res.status} ${res.statusText}${detail ? `: ${detail}` : ''}`,
      { httpStatus: res.status },
    );
    const retryAfterMillis = retryable ? parseRetryAfter(res.headers['retry-after']) : undefined;
    return retryAfterMillis === undefined
      ? { ok: false, retryable, error }
      : { ok: false, retryable, error, retryAfterMillis };
  }

  #post(url: URL, body: Buffer, timeoutMillis: number): Promise<Response> {
    const headers: http.OutgoingHttpHeaders = {
      'user-agent': 'genba-sdk',
      ...this.#send.headers,
      'content-type': this.#json ? 'application/json' : 'application/x-protobuf',
      'content-length': body.length,
    };
    if (this.#send.gzip) headers['content-encoding'] = 'gzip';
    const request = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers, agent: this.#agent(url) });
      let response: http.IncomingMessage | undefined;
      const timer = setTimeout(() => {
        const err = Object.assign(new Error(`timed out after ${timeoutMillis} ms`), { code: 'ETIMEDOUT' });
        req.destroy(err);
        response?.destroy(err);
      }, timeoutMillis);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      req.on('error', fail);
      req.on('response', (res) => {
        response = res;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          // Keep the start of the body; keep reading the rest so the socket can be reused.
          if (kept < MAX_KEPT_RESPONSE) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
      });
      req.end(body);
    });
  }

  /** A 200 may still say some spans were rejected: worth a warning, not a retry (the spec forbids it). */
  #checkPartialSuccess(res: Response, count: number): void {
    if (res.body.length === 0) return;
    let rejected = 0;
    let message = '';
    try {
      if (isJson(res, this.#json)) {
        const p = JSON.parse(res.body.toString('utf8'))?.partialSuccess;
        rejected = Number(p?.rejectedSpans ?? 0) || 0;
        message = typeof p?.errorMessage === 'string' ? p.errorMessage : '';
      } else {
        ({ rejectedSpans: rejected, errorMessage: message } = decodeTraceResponse(res.body));
      }
    } catch {
      reportOnce('otlp-http:bad-response', 'could not parse the OTLP/HTTP success response; ignoring it');
      return;
    }
    if (rejected > 0 || message !== '') {
      reportOnce(
        `otlp-http:partial-success:${this.#json ? 'json' : 'protobuf'}`,
        `OTLP/HTTP server rejected ${rejected} of ${count} spans${message ? `: ${message}` : ''}`,
      );
    }
  }
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function isJson(res: Response, sentJson: boolean): boolean {
  const type = res.headers['content-type'];
  if (type === undefined) return sentJson;
  return type.includes('json');
}

/** The message of a google.rpc.Status error body (protobuf or JSON), else a short text snippet. */
function errorDetail(res: Response): string {
  if (res.body.length === 0) return '';
  try {
    if (isJson(res, false)) {
      const m = JSON.parse(res.body.toString('utf8'))?.message;
      if (typeof m === 'string') return m;
    } else if (res.headers['content-type']?.includes('protobuf')) {
      const s = decodeRpcStatus(res.body);
      if (s?.message) return s.message;
    }
  } catch {
    // Not what it claimed to be; fall through to the raw text.
  }
  const type = res.headers['content-type'] ?? '';
  return type.startsWith('text/') ? res.body.toString('utf8', 0, 200).trim() : '';
}

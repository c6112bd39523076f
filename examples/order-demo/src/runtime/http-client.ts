/**
 * JSON calls to another service, each a CLIENT span whose context travels in the request
 * headers (W3C traceparent), so the callee's SERVER span becomes its child.
 */
import { Agent, request } from 'node:http';
import { injectHeaders } from '@genba/sdk';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { HttpError } from './http-error.ts';

export interface CallOptions {
  headers?: Record<string, string>;
  /** Give up after this long; default 10 s. */
  timeoutMs?: number;
}

// Keep-alive: one order makes several calls to the same peers; no handshake per call.
const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 15_000 });

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          body = { error: 'bad-json', message: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Calls `method path` on `baseUrl`; resolves with the JSON body of a 2xx, else throws HttpError. */
export function callService<T>(
  peer: string,
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const url = new URL(path, baseUrl);
  const tracer = trace.getTracer('order-demo');
  const attributes = {
    'http.request.method': method,
    'url.full': url.href,
    'server.address': url.hostname,
    'server.port': Number(url.port),
    'peer.service': peer,
  };
  return tracer.startActiveSpan(`${method} ${path}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      // Inside the CLIENT span, so the callee sees this span as its parent.
      const headers = injectHeaders<Record<string, string>>({
        'content-type': 'application/json',
        ...options.headers,
      });
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const reply = await exchange(url, method, headers, payload, options.timeoutMs ?? 10_000).catch(
        (err: unknown) => {
          throw new HttpError(0, 'unreachable', `${peer}: ${err instanceof Error ? err.message : err}`);
        },
      );
      span.setAttribute('http.response.status_code', reply.status);
      if (reply.status >= 400) {
        const b = (reply.body ?? {}) as { error?: string; message?: string };
        throw new HttpError(reply.status, b.error ?? `http-${reply.status}`, b.message ?? b.error);
      }
      return reply.body as T;
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(0, 'client-error', String(err));
      span.setAttribute('error.type', e.status === 0 ? e.reason : String(e.status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
      throw e;
    } finally {
      span.end();
    }
  });
}

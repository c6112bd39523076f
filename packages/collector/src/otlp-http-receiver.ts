/**
 * OTLP/HTTP: POST /v1/traces with protobuf or JSON bodies, optionally gzip-compressed.
 * It answers in the request's encoding, and with success only once the spans are durable.
 */
import type { Span } from '@genba/model';
import {
  decodeTraceRequest,
  decodeTraceRequestJson,
  encodeRpcStatus,
  encodeRpcStatusJson,
  encodeTraceResponse,
  encodeTraceResponseJson,
} from '@genba/otlp';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorAnswer, grpcCodeFor } from './error-response.ts';
import type { Metrics } from './metrics.ts';
import { decodeBody } from './request-body.ts';
import type { SpanConsumer } from './span-consumer.ts';
import { partitionValid } from './valid-spans.ts';

export interface OtlpHttpOptions {
  consumer: SpanConsumer;
  metrics: Metrics;
  /** Bound on the body after decompression, in bytes. */
  maxBodyBytes: number;
}

const PROTOBUF_TYPES = ['application/x-protobuf', 'application/protobuf'];

function isProtobuf(req: FastifyRequest): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return PROTOBUF_TYPES.includes(type);
}

export function registerOtlpHttp(app: FastifyInstance, opts: OtlpHttpOptions): void {
  const received = opts.metrics.counter(
    'genba_receiver_spans_total',
    'Spans received, by receiver and outcome',
  );
  const requests = opts.metrics.counter(
    'genba_receiver_requests_total',
    'Requests, by receiver and HTTP status',
  );

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [...PROTOBUF_TYPES, 'application/json'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  const reply = (
    req: FastifyRequest,
    res: FastifyReply,
    status: number,
    message: string,
    retryAfter?: number,
  ) => {
    requests({ receiver: 'otlp_http', status: String(status) });
    if (retryAfter !== undefined) res.header('retry-after', String(retryAfter));
    if (isProtobuf(req))
      return res
        .code(status)
        .type('application/x-protobuf')
        .send(Buffer.from(encodeRpcStatus({ code: grpcCodeFor(status), message })));
    return res
      .code(status)
      .type('application/json')
      .send(encodeRpcStatusJson({ code: grpcCodeFor(status), message }));
  };

  app.setErrorHandler((err, req, res) => {
    const a = errorAnswer(err);
    if (a.status >= 500) req.log.error(err);
    return reply(req, res, a.status, a.message, a.retryAfter);
  });
  app.setNotFoundHandler((req, res) =>
    reply(req, res, 404, `no route ${req.method} ${req.url}; send spans to POST /v1/traces`),
  );

  app.post('/v1/traces', async (req, res) => {
    if (!Buffer.isBuffer(req.body))
      return reply(req, res, 415, 'Content-Type must be application/x-protobuf or application/json');
    const body = await decodeBody(
      req.body,
      req.headers['content-encoding'] as string | undefined,
      opts.maxBodyBytes,
    );
    const protobuf = isProtobuf(req);
    let spans: Span[];
    try {
      spans = protobuf ? decodeTraceRequest(body) : decodeTraceRequestJson(body.toString('utf8'));
    } catch (err) {
      received({ receiver: 'otlp_http', outcome: 'malformed' });
      throw err;
    }
    const { valid, rejected, reason } = partitionValid(spans);
    try {
      await opts.consumer.consume(valid);
    } catch (err) {
      received({ receiver: 'otlp_http', outcome: 'refused' }, valid.length);
      throw err;
    }
    received({ receiver: 'otlp_http', outcome: 'accepted' }, valid.length);
    if (rejected) received({ receiver: 'otlp_http', outcome: 'rejected' }, rejected);
    requests({ receiver: 'otlp_http', status: '200' });
    const answer = { rejectedSpans: rejected, errorMessage: reason };
    if (protobuf) return res.type('application/x-protobuf').send(Buffer.from(encodeTraceResponse(answer)));
    return res.type('application/json').send(encodeTraceResponseJson(answer));
  });
}

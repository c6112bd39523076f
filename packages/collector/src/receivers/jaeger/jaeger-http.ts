/**
 * Jaeger's collector HTTP endpoint: `POST /api/traces` with one Thrift-binary `Batch` per body,
 * as jaeger-client's HTTPSender sends it. 202 once the spans are durable; problems get a
 * plain-text message that names them.
 */
import { GenbaError, type Span } from '@genba/model';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ComponentContext } from '../../component.ts';
import { errorAnswer } from '../../error-response.ts';
import { decodeBody } from '../../request-body.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { partitionValid } from '../../valid-spans.ts';
import { decodeBatch } from './jaeger-thrift-decoder.ts';
import { jaegerBatchToSpans } from './jaeger-to-spans.ts';
import { ThriftDecodeError } from './thrift-reader.ts';

const RECEIVER = 'jaeger_thrift_http';
const THRIFT_TYPES = ['application/x-thrift', 'application/vnd.apache.thrift.binary'];

export interface JaegerHttpOptions {
  consumer: SpanConsumer;
  ctx: ComponentContext;
  maxBodyBytes: number;
}

function decodeSpans(body: Buffer): Span[] {
  try {
    return jaegerBatchToSpans(decodeBatch(body, 'binary'));
  } catch (err) {
    if (err instanceof ThriftDecodeError)
      throw new GenbaError('bad_request', `malformed Jaeger Thrift batch: ${err.message}`);
    throw err;
  }
}

export function createJaegerHttpApp(opts: JaegerHttpOptions): FastifyInstance {
  const { consumer, ctx, maxBodyBytes } = opts;
  const received = ctx.metrics.counter(
    'genba_receiver_spans_total',
    'Spans received, by receiver and outcome',
  );
  const requests = ctx.metrics.counter(
    'genba_receiver_requests_total',
    'Requests, by receiver and HTTP status',
  );
  const app = Fastify({ logger: false, bodyLimit: maxBodyBytes });

  const reply = (res: FastifyReply, status: number, message: string, retryAfter?: number) => {
    requests({ receiver: RECEIVER, status: String(status) });
    if (retryAfter !== undefined) res.header('retry-after', String(retryAfter));
    return res.code(status).type('text/plain; charset=utf-8').send(`${message}\n`);
  };

  // Every body arrives as bytes; the route itself names a wrong Content-Type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, _req, res) => {
    const a = errorAnswer(err);
    if (a.status >= 500) ctx.log.warn(`${RECEIVER}: ${(err as Error).message}`);
    return reply(res, a.status, a.message, a.retryAfter);
  });
  app.setNotFoundHandler((req, res) =>
    reply(res, 404, `no route ${req.method} ${req.url}; send Jaeger Thrift batches to POST /api/traces`),
  );

  app.post('/api/traces', async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!THRIFT_TYPES.includes(type))
      return reply(
        res,
        415,
        `unsupported Content-Type "${type.slice(0, 100)}"; send ${THRIFT_TYPES.join(' or ')}`,
      );
    if (!Buffer.isBuffer(req.body) || req.body.length === 0)
      return reply(res, 400, 'empty body; expected a Thrift-binary Jaeger Batch');
    const body = await decodeBody(
      req.body,
      req.headers['content-encoding'] as string | undefined,
      maxBodyBytes,
    );
    let spans: Span[];
    try {
      spans = decodeSpans(body);
    } catch (err) {
      received({ receiver: RECEIVER, outcome: 'malformed' });
      throw err;
    }
    const { valid, rejected, reason } = partitionValid(spans);
    if (rejected) received({ receiver: RECEIVER, outcome: 'rejected' }, rejected);
    if (valid.length === 0 && rejected > 0) return reply(res, 400, `no valid span: ${reason}`);
    if (valid.length > 0) {
      try {
        await consumer.consume(valid);
      } catch (err) {
        received({ receiver: RECEIVER, outcome: 'refused' }, valid.length);
        throw err;
      }
      received({ receiver: RECEIVER, outcome: 'accepted' }, valid.length);
    }
    requests({ receiver: RECEIVER, status: '202' });
    return res.code(202).send();
  });
  return app;
}

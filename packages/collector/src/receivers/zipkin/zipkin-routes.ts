/**
 * Zipkin's span intake on a Fastify instance: `POST /api/v2/spans` with JSON or proto3 bodies,
 * optionally gzip- or deflate-compressed. It answers 202 only once the consumer has resolved,
 * that is once the spans are durable; errors are text naming the problem, as Zipkin answers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorAnswer } from '../../error-response.ts';
import type { Metrics } from '../../metrics.ts';
import { decodeBody } from '../../request-body.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { ZipkinDecodeError } from './zipkin-decode-error.ts';
import { decodeZipkinJson } from './zipkin-json-decoder.ts';
import { decodeZipkinProto } from './zipkin-proto-decoder.ts';
import type { ZipkinSpan } from './zipkin-span.ts';
import { zipkinToSpans } from './zipkin-to-spans.ts';

export interface ZipkinRoutesOptions {
  consumer: SpanConsumer;
  metrics: Metrics;
  /** Bound on the body before and after decompression, in bytes. */
  maxBodyBytes: number;
  parseStringTags: boolean;
  /** Where internal errors (5xx) are reported. */
  log?: { warn(msg: string): void };
}

export const ZIPKIN_SPANS_PATH = '/api/v2/spans';
const RECEIVER = 'zipkin';
const JSON_TYPE = 'application/json';
const PROTO_TYPES = ['application/x-protobuf', 'application/protobuf'];

/** The media type without parameters; '' when the header is missing. */
function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function registerZipkinRoutes(app: FastifyInstance, opts: ZipkinRoutesOptions): void {
  const received = opts.metrics.counter(
    'genba_receiver_spans_total',
    'Spans received, by receiver and outcome',
  );
  const requests = opts.metrics.counter(
    'genba_receiver_requests_total',
    'Requests, by receiver and HTTP status',
  );

  // Every body arrives as bytes; the route decides what the media type means (and answers 415).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const reply = (res: FastifyReply, status: number, message: string, retryAfter?: number) => {
    requests({ receiver: RECEIVER, status: String(status) });
    if (retryAfter !== undefined) res.header('retry-after', String(retryAfter));
    return res.code(status).type('text/plain; charset=utf-8').send(message);
  };

  app.setErrorHandler((err, _req, res) => {
    const a = errorAnswer(err);
    if (a.status >= 500) opts.log?.warn(`zipkin receiver: ${(err as Error).message ?? String(err)}`);
    return reply(res, a.status, a.message, a.retryAfter);
  });
  app.setNotFoundHandler((req, res) =>
    reply(res, 404, `no route ${req.method} ${req.url}; send Zipkin v2 spans to POST ${ZIPKIN_SPANS_PATH}`),
  );

  app.post('/api/v1/spans', async (_req, res) =>
    reply(
      res,
      400,
      `Zipkin v1 spans are not supported; send Zipkin v2 (JSON or proto3) to POST ${ZIPKIN_SPANS_PATH}`,
    ),
  );

  app.post(ZIPKIN_SPANS_PATH, async (req, res) => {
    const type = mediaType(req);
    const proto = PROTO_TYPES.includes(type);
    // A missing Content-Type means JSON, as Zipkin and the Collector read it.
    if (!proto && type !== JSON_TYPE && type !== '')
      return reply(
        res,
        415,
        `unsupported Content-Type "${type}"; send application/json or application/x-protobuf`,
      );
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = await decodeBody(raw, header(req, 'content-encoding'), opts.maxBodyBytes);
    let zspans: ZipkinSpan[];
    try {
      // An empty ListOfSpans is zero bytes in proto3; in JSON it is "[]".
      if (!proto && body.length === 0)
        throw new ZipkinDecodeError('body', 'is empty; expected a JSON array of spans');
      zspans = proto
        ? decodeZipkinProto(body, { debug: header(req, 'x-b3-flags') === '1' })
        : decodeZipkinJson(body);
    } catch (err) {
      received({ receiver: RECEIVER, outcome: 'malformed' });
      throw err;
    }
    const spans = zipkinToSpans(zspans, { parseStringTags: opts.parseStringTags });
    if (spans.length > 0) {
      try {
        await opts.consumer.consume(spans);
      } catch (err) {
        received({ receiver: RECEIVER, outcome: 'refused' }, spans.length);
        throw err;
      }
      received({ receiver: RECEIVER, outcome: 'accepted' }, spans.length);
    }
    return reply(res, 202, '');
  });
}

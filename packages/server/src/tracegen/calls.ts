/**
 * The kinds of remote work a shop service does, each as the spans OTel instrumentations record:
 * HTTP (CLIENT in the caller, SERVER in the callee), SQL and cache (CLIENT only), and a queue
 * (PRODUCER, then a CONSUMER in another service once the message is picked up).
 */
import type { Span } from '@genba/model';
import { SpanKind, StatusCode } from '@genba/model';
import { chance, intBetween } from './random.ts';
import type { Replica } from './shop-services.ts';
import type { Failure, Outcome, TraceBuilder } from './trace-builder.ts';

export interface HttpRequest {
  method: string;
  /** Route template, e.g. /orders/{id}. */
  route: string;
  /** Concrete path, e.g. /orders/1042. */
  path: string;
  /** Retry attempt number (semconv `http.request.resend_count`), for the second try onwards. */
  resendCount?: number;
}

const ip = (b: TraceBuilder) => `10.0.${intBetween(b.rng, 1, 9)}.${intBetween(b.rng, 2, 250)}`;

/** CLIENT span in `caller`, SERVER child in `callee` a network hop inside it; `handle` does the work. */
export function httpCall(
  b: TraceBuilder,
  parent: Span,
  caller: Replica,
  callee: Replica,
  req: HttpRequest,
  start: bigint,
  handle: (server: Span, t: bigint) => Outcome,
): Outcome {
  const client = b.open(caller, 'http', req.method, SpanKind.CLIENT, parent, start, {
    'http.request.method': req.method,
    'url.full': `http://${callee.service}:${callee.port}${req.path}`,
    'server.address': callee.service,
    'server.port': BigInt(callee.port),
    'network.protocol.version': '1.1',
    'peer.service': callee.service,
    'net.peer.name': callee.service,
  });
  if (req.resendCount !== undefined) client.attributes['http.request.resend_count'] = BigInt(req.resendCount);
  const serverStart = start + b.lat(0.25);
  const server = b.open(callee, 'http', `${req.method} ${req.route}`, SpanKind.SERVER, client, serverStart, {
    'http.request.method': req.method,
    'http.route': req.route,
    'url.path': req.path,
    'url.scheme': 'http',
    'server.address': callee.host,
    'server.port': BigInt(callee.port),
    'client.address': ip(b),
    'network.peer.address': ip(b),
    'user_agent.original': `${caller.service}/${caller.resource.attributes['service.version']}`,
  });
  const done = handle(server, serverStart + b.lat(0.08));
  const status = done.status ?? (done.failed ? 500 : 200);
  server.attributes['http.response.status_code'] = BigInt(status);
  client.attributes['http.response.status_code'] = BigInt(status);
  if (status >= 500) {
    // Servers report 5xx as errors; clients report every 4xx/5xx. Neither sets a description.
    if (server.status.code !== StatusCode.ERROR) b.markError(server);
    b.markError(client);
    client.attributes['error.type'] = String(status);
  }
  const serverEnd = done.end + b.lat(0.05);
  b.close(server, serverEnd);
  const end = serverEnd + b.lat(0.25);
  b.close(client, end);
  return { end, failed: done.failed };
}

export interface SqlQuery {
  operation: string;
  table: string;
  statement: string;
  medianMs: number;
  failure?: Failure;
}

/** A PostgreSQL query as a CLIENT span, the way pg/JDBC instrumentations record it. */
export function sqlQuery(
  b: TraceBuilder,
  parent: Span,
  replica: Replica,
  q: SqlQuery,
  start: bigint,
): Outcome {
  const span = b.open(replica, 'db', `${q.operation} shop.${q.table}`, SpanKind.CLIENT, parent, start, {
    'db.system': 'postgresql',
    'db.name': 'shop',
    'db.user': `${replica.service}_app`,
    'db.operation': q.operation,
    'db.sql.table': q.table,
    'db.statement': q.statement,
    'server.address': 'postgres',
    'server.port': 5432n,
    'peer.service': 'postgres',
    'net.peer.name': 'postgres',
  });
  const end = start + b.lat(q.medianMs, 'postgresql');
  if (q.failure !== undefined) b.fail(span, q.failure, end);
  b.close(span, end);
  return { end, failed: q.failure !== undefined };
}

/** A Redis GET; a miss records a `cache miss` event, and the caller then falls back to the database. */
export function cacheGet(
  b: TraceBuilder,
  parent: Span,
  replica: Replica,
  key: string,
  start: bigint,
  hitRate: number,
): Outcome & { hit: boolean } {
  const span = b.open(replica, 'cache', 'GET', SpanKind.CLIENT, parent, start, {
    'db.system': 'redis',
    'db.operation': 'GET',
    'db.statement': `GET ${key}`,
    'db.redis.database_index': 0n,
    'server.address': 'redis',
    'server.port': 6379n,
    'peer.service': 'redis',
    'net.peer.name': 'redis',
  });
  const end = start + b.lat(0.4, 'redis');
  const hit = chance(b.rng, hitRate);
  if (!hit) {
    span.events.push({
      timeUnixNano: end - 1000n,
      name: 'cache miss',
      attributes: { 'cache.key': key },
      droppedAttributesCount: 0,
    });
  }
  b.close(span, end);
  return { end, failed: false, hit };
}

/** PRODUCER in the sender; the CONSUMER child starts in the receiver after the queue wait, often after the producer returned. */
export function publishAndConsume(
  b: TraceBuilder,
  parent: Span,
  producer: Replica,
  consumer: Replica,
  topic: string,
  messageId: string,
  start: bigint,
  handle: (span: Span, t: bigint) => Outcome,
): { published: bigint; consumed: Outcome } {
  const common = {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.message.id': messageId,
    'server.address': 'kafka',
    'server.port': 9092n,
    'peer.service': 'kafka',
  };
  const pub = b.open(producer, 'messaging', `${topic} publish`, SpanKind.PRODUCER, parent, start, {
    ...common,
    'messaging.operation': 'publish',
  });
  const published = start + b.lat(1.2, 'kafka');
  b.close(pub, published);
  const received = published + b.lat(6, 'kafka');
  const proc = b.open(consumer, 'messaging', `${topic} process`, SpanKind.CONSUMER, pub, received, {
    ...common,
    'messaging.operation': 'process',
    'messaging.kafka.consumer.group': consumer.service,
    'messaging.kafka.destination.partition': BigInt(intBetween(b.rng, 0, 11)),
  });
  const done = handle(proc, received + b.lat(0.1));
  b.close(proc, done.end + b.lat(0.1));
  return { published, consumed: done };
}

/** One realistic multi-service trace of the synthetic shop, fully determined by `rng`. */
import type { Span } from '@genba/model';
import { SpanKind } from '@genba/model';
import { chance, intBetween, pick, type Rng } from './random.ts';
import { browseFlow, cartFlow, checkoutFlow, chooseFailureSite, type Flow } from './shop-flows.ts';
import { chooseReplicas } from './shop-services.ts';
import { type SlowTarget, TraceBuilder } from './trace-builder.ts';

/** About one trace in twenty fails, as the brief for demos asks; one in twenty-five hits a slow path. */
const ERROR_RATE = 0.05;
const SLOW_RATE = 0.04;
const SLOW_TARGETS: readonly SlowTarget[] = ['postgresql', 'redis', 'payments', 'kafka'];

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
];

function chooseFlow(rng: Rng): Flow {
  const r = rng();
  return r < 0.45 ? browseFlow : r < 0.65 ? cartFlow : checkoutFlow;
}

/**
 * Spans of one trace starting at `startNanos`: frontend → api-gateway → inventory / orders /
 * payments / shipping, with Postgres and Redis client spans, a Kafka hop, retries, slow paths and
 * failures. Spans of one service replica share one resource object (and one scope per library).
 */
export function generateTrace(rng: Rng, startNanos: bigint): Span[] {
  const slow = chance(rng, SLOW_RATE) ? pick(rng, SLOW_TARGETS) : undefined;
  const b = new TraceBuilder(rng, slow);
  const d = chooseReplicas(rng);
  const flow = chooseFlow(rng);
  const fail = chance(rng, ERROR_RATE) ? chooseFailureSite(rng, flow) : undefined;
  const root = b.open(
    d.frontend,
    'http',
    `${flow.method} ${flow.route}`,
    SpanKind.SERVER,
    undefined,
    startNanos,
    {
      'http.request.method': flow.method,
      'http.route': flow.route,
      'url.path': flow.path,
      'url.scheme': 'https',
      'server.address': 'shop.example.com',
      'server.port': 443n,
      'client.address': `203.0.113.${intBetween(rng, 1, 254)}`,
      'network.protocol.version': '2',
      'user_agent.original': pick(rng, BROWSERS),
    },
  );
  const done = flow.run({ b, d, fail }, root, startNanos + b.lat(0.15));
  root.attributes['http.response.status_code'] = done.failed ? 500n : 200n;
  b.close(root, done.end + b.lat(0.2));
  return b.spans;
}

/**
 * The `slow` option against a real server: the same seeded run twice, first as it is, then with
 * inventory 300 ms slower on every request. The slowed service's SERVER spans carry the time;
 * nothing else changes. Also the `--slow` flag's syntax.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DemoOptions, DemoStats } from '@genba/order-demo';
import { parseSlowFlag, startDemo } from '@genba/order-demo';
import { type RunningServer, startServer } from '@genba/server';

interface JaegerSpan {
  spanID: string;
  operationName: string;
  processID: string;
  duration: number;
  tags: { key: string; value: unknown }[];
}
interface JaegerTrace {
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}
interface ServerSpan {
  service: string;
  name: string;
  /** µs */
  duration: number;
  addedDelay: unknown;
}

const ADDED_MS = 300;
const RUN: Omit<DemoOptions, 'endpoint'> = { rate: 8, duration: 2500, seed: 7 };

const tag = (s: JaegerSpan, key: string) => s.tags.find((t) => t.key === key)?.value;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('order demo with a slowed service', { timeout: 90_000 }, () => {
  let server: RunningServer;
  let dataDir: string;
  const runs: { stats: DemoStats; spans: ServerSpan[] }[] = [];
  const log: string[] = [];

  /** One demo run; its SERVER spans, found by the run's time window. */
  async function run(extra: Partial<DemoOptions>) {
    const start = Date.now() * 1000;
    const demo = await startDemo({
      ...RUN,
      ...extra,
      endpoint: server.urls.otlpHttp,
      log: (l) => log.push(l),
    });
    await demo.finished;
    await demo.stop();
    const end = Date.now() * 1000;
    const res = await fetch(
      `${server.urls.query}/api/traces?service=gateway&start=${start}&end=${end}&limit=1000`,
    );
    const traces = ((await res.json()) as { data: JaegerTrace[] }).data;
    assert.equal(traces.length, demo.stats.sent, `one trace per order; log:\n${log.join('\n')}`);
    const spans = traces.flatMap((t) =>
      t.spans
        .filter((s) => tag(s, 'span.kind') === 'server')
        .map((s) => ({
          service: t.processes[s.processID].serviceName,
          name: s.operationName,
          duration: s.duration,
          addedDelay: tag(s, 'demo.added_delay_ms'),
        })),
    );
    return { stats: demo.stats, spans };
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'genba-demo-slow-'));
    const storage = process.env.GENBA_TEST_STORAGE;
    server = await startServer({
      anyPort: true,
      logLevel: 'silent',
      dataDir,
      ...(storage ? { storage } : {}),
    });
    runs.push(await run({}));
    runs.push(await run({ slow: { service: 'inventory', ms: ADDED_MS } }));
  });
  after(async () => {
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('every inventory SERVER span of the slowed run takes at least the added time', () => {
    const inventory = runs[1].spans.filter((s) => s.service === 'inventory');
    const orders = runs[1].stats.sent;
    assert.ok(inventory.length >= orders, `${inventory.length} inventory requests for ${orders} orders`);
    for (const s of inventory) {
      assert.ok(s.duration >= ADDED_MS * 1000, `${s.name} took ${s.duration} µs`);
      assert.equal(s.addedDelay, ADDED_MS);
    }
  });

  test('without the option, inventory is quick and nothing is marked', () => {
    const inventory = runs[0].spans.filter((s) => s.service === 'inventory');
    assert.ok(inventory.length >= runs[0].stats.sent);
    assert.ok(runs[0].spans.every((s) => s.addedDelay === undefined));
    // Only the seeded slow paths (and the orders queued behind them in the pool) reach 300 ms.
    const quick = inventory.filter((s) => s.duration < ADDED_MS * 1000).length;
    assert.ok(quick > inventory.length / 2, `${quick} of ${inventory.length} under ${ADDED_MS} ms`);
    assert.ok(median(inventory.map((s) => s.duration)) < ADDED_MS * 1000);
  });

  test('only the slowed service changes: the other services are not marked, the run replays', () => {
    const [plain, slowed] = runs;
    assert.ok(slowed.spans.filter((s) => s.service !== 'inventory').every((s) => s.addedDelay === undefined));
    // The same seed sends the same orders with the same faults.
    assert.equal(slowed.stats.sent, plain.stats.sent);
    assert.deepEqual(slowed.stats.failures, plain.stats.failures);
    assert.equal(slowed.stats.spansDropped, 0);
    // Every order waits for inventory once more, end to end at the gateway too.
    const gateway = (r: (typeof runs)[number]) =>
      median(r.spans.filter((s) => s.service === 'gateway').map((s) => s.duration));
    assert.ok(
      gateway(slowed) - gateway(plain) >= ADDED_MS * 1000 * 0.9,
      `gateway median ${gateway(plain)} → ${gateway(slowed)} µs`,
    );
  });
});

test('--slow takes SERVICE=DURATION in ms, with ms or s', () => {
  assert.deepEqual(parseSlowFlag('inventory=300'), { service: 'inventory', ms: 300 });
  assert.deepEqual(parseSlowFlag('payments=300ms'), { service: 'payments', ms: 300 });
  assert.deepEqual(parseSlowFlag('shipping=1.5s'), { service: 'shipping', ms: 1500 });
  assert.deepEqual(parseSlowFlag('orders=0'), { service: 'orders', ms: 0 });
  for (const bad of [
    'inventory',
    'inventory=',
    'gateway=300ms',
    'inventory=300us',
    'inventory=-5',
    'x=1',
    '=300',
    'inventory=6s',
  ])
    assert.throws(
      () => parseSlowFlag(bad),
      (err: Error) => {
        assert.match(err.message, /^--slow expects SERVICE=DURATION such as inventory=300ms/);
        assert.match(err.message, /orders, payments, inventory, shipping/);
        assert.match(err.message, /300 \(ms\), 300ms or 1\.5s/);
        assert.ok(err.message.endsWith(`got ${JSON.stringify(bad)}`), err.message);
        return true;
      },
      bad,
    );
});

test('startDemo refuses a slow option it cannot honour, before starting anything', async () => {
  const endpoint = 'http://127.0.0.1:4318';
  await assert.rejects(
    startDemo({ endpoint, slow: { service: 'gateway' as 'orders', ms: 10 } }),
    /slow\.service must be one of orders, payments, inventory, shipping/,
  );
  await assert.rejects(
    startDemo({ endpoint, slow: { service: 'inventory', ms: Number.NaN } }),
    /slow\.ms must be a number of ms from 0 to 5000/,
  );
});

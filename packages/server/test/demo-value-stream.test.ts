/**
 * The kaizen loop on the order demo, against a real server: run the demo with inventory slowed,
 * and the value stream names inventory as the bottleneck; run it again restored, and the
 * before/after comparison shows the time that came back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DemoOptions } from '@genba/order-demo';
import { startDemo } from '@genba/order-demo';
import { getJson, withTempServer } from './helpers.ts';

const RUN: Omit<DemoOptions, 'endpoint'> = { rate: 8, duration: 2500, seed: 11 };
const ADDED_MS = 300;

describe('value stream of the order demo', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof withTempServer>>;
  const windows: { start: number; end: number; sent: number }[] = [];
  const log: string[] = [];

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
    windows.push({ start, end: Date.now() * 1000, sent: demo.stats.sent });
  }

  async function api(path: string) {
    const { status, body } = await getJson(`${server.urls.query}${path}`);
    assert.equal(status, 200, JSON.stringify(body));
    return body.data;
  }

  before(async () => {
    server = await withTempServer();
    await run({ slow: { service: 'inventory', ms: ADDED_MS } });
    await run({});
  });

  after(async () => {
    await server?.close();
  });

  test('with inventory slowed, the report names inventory as the bottleneck', async () => {
    const [slow] = windows;
    const data = await api(
      `/api/genba/value-stream?service=gateway&start=${slow.start}&end=${slow.end}&buckets=4`,
    );
    assert.equal(data.traceCount, slow.sent, `every order analysed; log:\n${log.join('\n')}`);
    assert.equal(data.bottleneck, 'inventory');
    const inv = data.components[0];
    assert.equal(inv.component, 'inventory');
    assert.ok(inv.p50 >= ADDED_MS * 1000, `inventory's critical-path P50 ${inv.p50} µs`);
    const c = data.categories;
    assert.equal(c.processing + c.waiting + c.transport + c.defect, data.totalLatency);
  });

  test('restored, the before/after comparison shows the improvement', async () => {
    const [slow, fixed] = windows;
    const q = `service=gateway&beforeStart=${slow.start}&beforeEnd=${slow.end}&afterStart=${fixed.start}&afterEnd=${fixed.end}`;
    const data = await api(`/api/genba/value-stream/compare?${q}`);
    assert.equal(data.before.traceCount, slow.sent);
    assert.equal(data.after.traceCount, fixed.sent);
    const inv = data.components.find((x: { component: string }) => x.component === 'inventory');
    // Each order calls inventory at least once on its critical path.
    assert.ok(
      inv.perTrace.delta <= -0.8 * ADDED_MS * 1000,
      `inventory per trace ${JSON.stringify(inv.perTrace)}`,
    );
    assert.equal(data.components[0].component, 'inventory', 'the biggest improvement comes first');
    assert.ok(data.latencyP95.delta < 0, `P95 ${JSON.stringify(data.latencyP95)}`);
    assert.ok(data.latencyAvg.delta <= -0.8 * ADDED_MS * 1000, `avg ${JSON.stringify(data.latencyAvg)}`);
    assert.equal(data.bottleneck.before, 'inventory');
  });
});

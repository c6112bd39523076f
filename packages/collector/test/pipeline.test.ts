/** buildPipelines: one receiver feeding two pipelines, each with its own processors, shared exporters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyResource, emptyScope, emptySpan, type Span } from '@genba/model';
import type { ComponentRegistry, Stage } from '../src/index.ts';
import { buildPipelines, defaultRegistry, Metrics, validateConfig } from '../src/index.ts';

function span(name: string): Span {
  const s = emptySpan({ ...emptyResource(), attributes: { 'service.name': 'shop' } }, emptyScope());
  return {
    ...s,
    traceId: 'ab'.repeat(16),
    spanId: 'cd'.repeat(8),
    name,
    attributes: { 'enduser.id': 'u-7' },
  };
}

test("a receiver feeds every pipeline that lists it; one pipeline's edits stay its own", async () => {
  const got: Record<string, Span[]> = { plain: [], redacted: [] };
  const feeds: Record<string, (spans: Span[]) => Promise<void>> = {};
  const order: string[] = [];
  const registry: ComponentRegistry = {
    receivers: {
      ...defaultRegistry.receivers,
      fake: {
        schema: defaultRegistry.exporters.store.schema,
        create: async (_c, consumer, _ctx, name) => {
          feeds[name] = (spans) => consumer.consume(spans);
          return { endpoints: {}, shutdown: async () => void order.push(`receiver ${name}`) };
        },
      },
    },
    processors: defaultRegistry.processors,
    exporters: {
      ...defaultRegistry.exporters,
      capture: {
        schema: defaultRegistry.exporters.store.schema,
        create: (_c, _ctx, name): Stage => ({
          consume: async (spans) => void got[name.split('/')[1]].push(...spans),
          shutdown: async () => void order.push(`exporter ${name}`),
        }),
      },
    },
  };
  const config = validateConfig(
    {
      receivers: { fake: {} },
      processors: {
        'attributes/redact': { actions: [{ key: 'enduser.id', action: 'delete' }] },
        filter: { traces: { span: ['name == "health"'] } },
      },
      exporters: { 'capture/plain': {}, 'capture/redacted': {} },
      service: {
        pipelines: {
          traces: { receivers: ['fake'], processors: ['filter'], exporters: ['capture/plain'] },
          'traces/redacted': {
            receivers: ['fake'],
            processors: ['attributes/redact'],
            exporters: ['capture/redacted'],
          },
        },
      },
    },
    registry,
  );
  const running = await buildPipelines(config, registry, {
    metrics: new Metrics(),
    log: { warn() {}, info() {} },
    maxBodyBytes: 1 << 20,
  });
  await feeds.fake([span('GET /cart'), span('health')]);
  assert.deepEqual(
    got.plain.map((s) => s.name),
    ['GET /cart'],
    'filter dropped the health span',
  );
  assert.equal(
    got.plain[0].attributes['enduser.id'],
    'u-7',
    "the other pipeline's delete did not reach this one",
  );
  assert.deepEqual(
    got.redacted.map((s) => s.name),
    ['GET /cart', 'health'],
  );
  assert.equal(got.redacted[0].attributes['enduser.id'], undefined);
  await running.shutdown();
  assert.deepEqual(order, ['receiver fake', 'exporter capture/plain', 'exporter capture/redacted']);
});

/**
 * The `store` exporter: writes to Genba's own store. `consume` resolves when the batch is
 * durable, so receivers acknowledge only what is on disk.
 */
import type { Span } from '@genba/model';
import type { Storage } from '@genba/storage';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';

export const storeExporterConfig = z.object({}).strict();

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createStoreExporter(store: Storage, ctx: ComponentContext, name = 'store'): Stage {
  const sent = ctx.metrics.counter(
    'genba_exporter_spans_sent_total',
    'Spans exporters delivered, by exporter',
  );
  const failed = ctx.metrics.counter(
    'genba_exporter_spans_failed_total',
    'Spans exporters could not deliver, by exporter',
  );
  const latency = ctx.metrics.histogram(
    'genba_store_write_seconds',
    'Time from a batch handed to the store to durable, in seconds',
    LATENCY_BUCKETS,
  );
  return {
    async consume(spans: Span[]) {
      if (spans.length === 0) return;
      const t0 = performance.now();
      try {
        await store.write(spans);
      } catch (err) {
        failed({ exporter: name }, spans.length);
        throw err;
      }
      latency({ exporter: name }, (performance.now() - t0) / 1000);
      sent({ exporter: name }, spans.length);
    },
  };
}

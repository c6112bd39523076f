/**
 * shipping: accepts a shipment at once (202) and puts it on a queue; one worker pulls the
 * queue and books the parcel. The trace follows the item through the queue, so the wait in
 * the queue shows up in the order's trace.
 */
import type { Carrier } from '@genba/sdk';
import { action, kanban, propagateContext, withPropagatedContext, withSpan } from '@genba/sdk';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { between, mulberry32, pick, sleep } from '../random.ts';
import { HttpError } from '../runtime/http-error.ts';
import { runService } from '../runtime/service-main.ts';
import { WorkQueue } from '../shipping/work-queue.ts';

const QUEUE = 'shipments';
const CARRIERS = ['yamato', 'sagawa', 'japan-post'] as const;

interface Shipment {
  shipmentId: string;
  orderId: string;
  region: string;
  items: number;
  /** The producer's context, so the worker's spans join the order's trace. */
  carrier: Carrier;
  enqueuedAt: number;
}

await runService('shipping', (ctx) => {
  const queue = new WorkQueue<Shipment>();
  // The worker runs in arrival order, so one generator serves it reproducibly.
  const rng = mulberry32(ctx.seed ^ 0x5ca1ab1e);

  async function book(item: Shipment): Promise<void> {
    const pull = kanban.queuePull({ queue: QUEUE, depth: queue.depth + 1, workItem: item.shipmentId });
    // Measured from the enqueue, in whole microseconds: the time the parcel sat in the queue.
    const waitTimeMs = Math.round((performance.now() - item.enqueuedAt) * 1000) / 1000;
    pull.end({ waitTimeMs, depthAfter: queue.depth });
    await kanban.withQueueAck({ queue: QUEUE, workItem: item.shipmentId }, () =>
      action.withAction(
        { action: 'create-shipment', metadata: { orderId: item.orderId, region: item.region } },
        async (handle) => {
          const carrier = pick(rng, CARRIERS);
          await withSpan('carrier book', { 'shipping.carrier': carrier }, () => sleep(between(rng, 20, 60)));
          await withSpan('label print', { 'shipping.items': item.items }, () => sleep(between(rng, 5, 30)));
          handle.end({ result: 'success', metadata: { carrier } });
        },
      ),
    );
  }

  const worker = (async () => {
    for (let item = await queue.take(); item !== undefined; item = await queue.take()) {
      const shipment = item;
      await withPropagatedContext(shipment.carrier, () => book(shipment)).catch((err: unknown) =>
        console.error(`shipping: ${shipment.shipmentId} failed:`, err),
      );
    }
  })();

  let next = 1;
  return {
    routes: {
      'POST /shipments': async ({ body }) => {
        const { orderId, region, items } = body as { orderId: string; region: string; items: number };
        const shipmentId = `shp-${String(next++).padStart(6, '0')}`;
        const tracer = trace.getTracer('order-demo');
        const attributes = {
          'messaging.operation': 'publish',
          'messaging.destination.name': QUEUE,
          'kanban.queue.name': QUEUE,
          'kanban.work_item': shipmentId,
          // Handing work to the queue moves it along without adding value.
          'genba.component': 'kanban',
          'genba.waste': 'transport',
        };
        const depth = tracer.startActiveSpan(
          `${QUEUE} publish`,
          { kind: SpanKind.PRODUCER, attributes },
          (span) => {
            const accepted = queue.push({
              shipmentId,
              orderId,
              region,
              items,
              carrier: propagateContext(),
              enqueuedAt: performance.now(),
            });
            span.setAttribute('kanban.queue.depth', queue.depth);
            if (!accepted) span.setStatus({ code: SpanStatusCode.ERROR, message: 'queue closed' });
            span.end();
            if (!accepted) throw new HttpError(503, 'shipping-closed', 'shipping is shutting down');
            return queue.depth;
          },
        );
        return { status: 202, body: { shipmentId, queueDepth: depth } };
      },
    },
    drain: async () => {
      queue.close();
      await worker;
    },
  };
});

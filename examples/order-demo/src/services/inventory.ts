/**
 * inventory: prices the lines from a cached catalog and reserves stock in a database reached
 * through a small connection pool. The slow path is a slow query that holds its connection,
 * so the orders behind it wait in the pool.
 */
import { action, addAttributes, andon, heijunka, tracedCache, withSpan } from '@genba/sdk';
import { faultPlan } from '../fault-plan.ts';
import { ConnectionPool, PoolTimeoutError } from '../inventory/connection-pool.ts';
import { TtlMap } from '../inventory/ttl-map.ts';
import type { OrderLine, PricedLine } from '../order.ts';
import { between, rngFor, sleep } from '../random.ts';
import { HttpError } from '../runtime/http-error.ts';
import { runService } from '../runtime/service-main.ts';

const POOL = 'inventory-db';
const POOL_SIZE = 2;
const ACQUIRE_TIMEOUT_MS = 3000;
/** A wait this long means the pool is saturated: worth an andon warning. */
const SATURATED_MS = 250;
const MAX_RESERVATIONS = 10_000;

interface Product {
  sku: string;
  unitCents: number;
}

function priceOf(sku: string): number {
  let h = 7;
  for (const c of sku) h = (h * 31 + c.charCodeAt(0)) % 9973;
  return 500 + (h % 60) * 50;
}

await runService('inventory', (ctx) => {
  const pool = new ConnectionPool(POOL_SIZE);
  const reservations = new Map<string, PricedLine[]>();
  const catalog = tracedCache('catalog', new TtlMap<string, Product>(5000), async (sku: string) => {
    await withSpan('db SELECT product', { 'db.system': 'postgresql', 'db.operation.name': 'SELECT' }, () =>
      sleep(8),
    );
    return { sku, unitCents: priceOf(sku) };
  });

  /** Runs `query` on a pooled connection, recording the wait for it as a heijunka span. */
  async function onConnection<T>(operation: string, query: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const lease = await heijunka
      .withPoolAcquire(
        { pool: POOL, resource: 'postgresql', size: pool.size, inUse: pool.inUse },
        async (handle) => {
          handle.span.setAttribute('heijunka.pool.waiting', pool.waiting);
          const acquired = await pool.acquire(ACQUIRE_TIMEOUT_MS);
          handle.end({ acquired: true, inUse: pool.inUse });
          return acquired;
        },
      )
      .catch((err: unknown) => {
        if (err instanceof PoolTimeoutError) throw new HttpError(503, 'inventory-busy', err.message);
        throw err;
      });
    const waited = Math.round(performance.now() - started);
    if (waited >= SATURATED_MS)
      andon
        .logEvent({
          severity: 'warning',
          message: `${POOL} saturated: waited ${waited} ms for a connection`,
          attributes: { 'heijunka.pool.name': POOL, 'heijunka.acquire_time_ms': waited },
        })
        .end({ handled: false });
    try {
      return await withSpan(
        `db ${operation}`,
        { 'db.system': 'postgresql', 'db.operation.name': operation.split(' ')[0] },
        query,
      );
    } finally {
      lease.release();
    }
  }

  return {
    routes: {
      'POST /reservations': async ({ body }) => {
        const { orderNo, lines } = body as { orderNo: number; lines: OrderLine[] };
        const reservationId = `res-${String(orderNo).padStart(6, '0')}`;
        return action.withAction({ action: 'reserve-stock', metadata: { reservationId } }, async () => {
          const priced: PricedLine[] = [];
          for (const line of lines)
            priced.push({ ...line, unitCents: (await catalog.get(line.sku)).unitCents });
          const slow = faultPlan(ctx.seed, orderNo).slow;
          const queryMs =
            slow?.service === 'inventory' ? slow.ms : between(rngFor(ctx.seed, 'inventory', orderNo), 4, 20);
          await onConnection('UPDATE stock', async () => {
            if (slow?.service === 'inventory') addAttributes({ 'demo.slow_path': true });
            await sleep(queryMs);
          });
          reservations.set(reservationId, priced);
          // Confirmed orders never release; forget the oldest so a long run does not grow for ever.
          if (reservations.size > MAX_RESERVATIONS) reservations.delete(reservations.keys().next().value!);
          const totalCents = priced.reduce((sum, l) => sum + l.unitCents * l.quantity, 0);
          return { status: 201, body: { reservationId, lines: priced, totalCents } };
        });
      },
      'POST /reservations/release': async ({ body }) => {
        const { reservationId } = body as { reservationId: string };
        if (!reservations.has(reservationId)) throw new HttpError(404, 'unknown-reservation', reservationId);
        await action.withAction({ action: 'release-stock', metadata: { reservationId } }, () =>
          onConnection('UPDATE stock', () => sleep(5)),
        );
        reservations.delete(reservationId);
        return { status: 200, body: { reservationId, released: true } };
      },
    },
  };
});

/**
 * orders: places an order. Reserves stock, charges the card through a circuit breaker with
 * retries, and hands the parcel to shipping. A failed charge releases the stock again.
 */
import { action, andon, CircuitOpenError, recordEvent, tracedCircuitBreaker, withRetry } from '@genba/sdk';
import type { OrderReceipt, OrderRequest, PricedLine } from '../order.ts';
import { HttpError } from '../runtime/http-error.ts';
import type { ServiceContext } from '../runtime/service-main.ts';
import { runService } from '../runtime/service-main.ts';

interface Reservation {
  reservationId: string;
  lines: PricedLine[];
  totalCents: number;
}

type Charge = { status: 'captured'; chargeId: string } | { status: 'declined'; reason: string };

function placeOrder(ctx: ServiceContext) {
  // One breaker per process, shared by all orders: it opens when payments keeps failing.
  const charge = tracedCircuitBreaker(
    'payments',
    async (order: OrderRequest, amountCents: number, attempt: number): Promise<Charge> => {
      try {
        return await ctx.call<Charge>(
          'payments',
          'POST',
          '/charges',
          { orderNo: order.orderNo, customerId: order.customerId, amountCents },
          { headers: { 'idempotency-key': `order-${order.orderNo}`, 'x-attempt': String(attempt) } },
        );
      } catch (err) {
        // A decline is payments working as intended, not a sign of ill health: no breaker trip.
        if (err instanceof HttpError && err.status === 402) return { status: 'declined', reason: err.reason };
        throw err;
      }
    },
    { failureThreshold: 5, resetTimeoutMs: 3000 },
  );

  const chargeWithRetry = (order: OrderRequest, amountCents: number) =>
    withRetry(
      'charge-card',
      async (attempt) => {
        const result = await charge(order, amountCents, attempt);
        if (result.status === 'declined') throw new HttpError(402, 'payment-declined', 'card declined');
        return result.chargeId;
      },
      {
        maxAttempts: 3,
        baseDelayMs: 50,
        jitter: 0.2,
        // Only a payments hiccup is worth another try; a decline or an open circuit is final.
        retryOn: (err) => err instanceof HttpError && err.transient,
      },
    );

  return async (order: OrderRequest): Promise<OrderReceipt> => {
    const orderId = `ord-${String(order.orderNo).padStart(6, '0')}`;
    return action
      .withAction<OrderReceipt>(
        { action: 'place-order', metadata: { orderId, lines: order.lines.length, region: order.region } },
        async () => {
          const reservation = await ctx.call<Reservation>('inventory', 'POST', '/reservations', {
            orderNo: order.orderNo,
            lines: order.lines,
          });
          let chargeId: string;
          try {
            chargeId = await chargeWithRetry(order, reservation.totalCents);
          } catch (err) {
            await ctx
              .call('inventory', 'POST', '/reservations/release', {
                reservationId: reservation.reservationId,
              })
              .catch(() => recordEvent('release_failed', { reservation: reservation.reservationId }));
            throw paymentFailure(err);
          }
          const shipment = await ctx.call<{ shipmentId: string }>('shipping', 'POST', '/shipments', {
            orderId,
            region: order.region,
            items: order.lines.reduce((n, l) => n + l.quantity, 0),
          });
          recordEvent('order.confirmed', { 'order.id': orderId, 'payment.charge_id': chargeId });
          return {
            orderId,
            status: 'confirmed',
            totalCents: reservation.totalCents,
            shipmentId: shipment.shipmentId,
          };
        },
      )
      .catch((err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, 'internal', String(err));
        // Pull the cord: a lost order is something the line must see, handled by compensating.
        andon
          .logEvent({
            severity: 'error',
            message: `order ${orderId} failed: ${e.reason}`,
            handler: 'orders',
            attributes: { 'order.id': orderId, 'order.failure': e.reason },
          })
          .end({ handled: true });
        throw e;
      });
  };
}

function paymentFailure(err: unknown): HttpError {
  if (err instanceof CircuitOpenError) return new HttpError(503, 'payments-circuit-open', err.message);
  if (err instanceof HttpError && err.transient)
    return new HttpError(503, 'payments-unavailable', `payments failed after retries: ${err.message}`);
  return err instanceof HttpError ? err : new HttpError(500, 'internal', String(err));
}

await runService('orders', (ctx) => {
  const place = placeOrder(ctx);
  return {
    routes: {
      'POST /orders': async ({ body }) => ({ status: 201, body: await place(body as OrderRequest) }),
    },
  };
});

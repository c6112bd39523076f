/**
 * The shop's request flows, each a handler tree over the services: browsing a product, viewing the
 * cart, and checking out (the deepest: stock checks, order, payment with retries, a queue to shipping).
 */
import type { Span } from '@genba/model';
import { cacheGet, publishAndConsume, sqlQuery } from './calls.ts';
import { chance, intBetween, pick, type Rng, randomId } from './random.ts';
import { fanOut, httpCallWithRetry, propagate, work } from './service-steps.ts';
import type { Deployment } from './shop-services.ts';
import type { Failure, Outcome, TraceBuilder } from './trace-builder.ts';

/** Where a failing trace breaks; the error then travels up to the root as HTTP 500s. */
export type FailureSite = 'inventory-db' | 'orders-db' | 'payments' | undefined;

export interface FlowContext {
  b: TraceBuilder;
  d: Deployment;
  fail: FailureSite;
}

export interface Flow {
  method: string;
  route: string;
  path: string;
  run: (ctx: FlowContext, root: Span, t: bigint) => Outcome;
}

const TIMEOUT: Failure = {
  type: 'QueryCanceledError',
  message: 'canceling statement due to statement timeout',
};
const GATEWAY_ERR: Failure = { type: 'UpstreamError', message: 'upstream returned 500' };

const sku = (ctx: FlowContext) => `SKU-${intBetween(ctx.b.rng, 1000, 1999)}`;

/** inventory: stock from Redis, falling back to Postgres on a miss. */
function stockLookup(ctx: FlowContext, parent: Span, item: string, t: bigint, flaky: boolean): Outcome {
  const { b, d } = ctx;
  const req = { method: 'GET', route: '/stock/{sku}', path: `/stock/${item}` };
  return httpCallWithRetry(b, parent, d['api-gateway'], d.inventory, req, t, flaky, (server, at) => {
    const cached = cacheGet(b, server, d.inventory, `stock:${item}`, at, 0.7);
    if (cached.hit && ctx.fail !== 'inventory-db') return cached;
    const statement = 'SELECT sku, available, reserved FROM stock WHERE sku = $1';
    const failure = ctx.fail === 'inventory-db' ? TIMEOUT : undefined;
    const q = { operation: 'SELECT', table: 'stock', statement, medianMs: 2.5, failure };
    const r = sqlQuery(b, server, d.inventory, q, cached.end + b.lat(0.05));
    return propagate(b, server, r, { type: 'Error', message: 'stock lookup failed' });
  });
}

function authenticate(ctx: FlowContext, server: Span, t: bigint): Outcome {
  return work(ctx.b, ctx.d['api-gateway'], server, 'authenticate', 0.4, t, { 'enduser.id': userId(ctx) });
}

const userId = (ctx: FlowContext) => `user-${intBetween(ctx.b.rng, 1, 50_000)}`;

export const browseFlow: Flow = {
  method: 'GET',
  route: '/product/{id}',
  path: '/product/',
  run(ctx, root, t) {
    const { b, d } = ctx;
    const item = sku(ctx);
    root.attributes['url.path'] = `/product/${item}`;
    const related = intBetween(b.rng, 0, 3);
    const flaky = chance(b.rng, 0.03);
    const req = { method: 'GET', route: '/api/products/{id}', path: `/api/products/${item}` };
    const api = httpCallWithRetry(b, root, d.frontend, d['api-gateway'], req, t, false, (server, at) => {
      const auth = authenticate(ctx, server, at);
      const stock = fanOut(b, auth.end + b.lat(0.05), 1 + related, (i, ti) =>
        stockLookup(ctx, server, i === 0 ? item : sku(ctx), ti, flaky && i === 0),
      );
      return propagate(b, server, stock, GATEWAY_ERR);
    });
    if (api.failed) return propagate(b, root, api, GATEWAY_ERR);
    return work(b, d.frontend, root, 'render product page', 3, api.end + b.lat(0.05));
  },
};

export const cartFlow: Flow = {
  method: 'GET',
  route: '/cart',
  path: '/cart',
  run(ctx, root, t) {
    const { b, d } = ctx;
    const user = userId(ctx);
    const req = { method: 'GET', route: '/api/cart', path: '/api/cart' };
    const api = httpCallWithRetry(b, root, d.frontend, d['api-gateway'], req, t, false, (server, at) => {
      const auth = authenticate(ctx, server, at);
      const both = fanOut(b, auth.end + b.lat(0.05), 2, (i, ti) => {
        if (i === 1) {
          const quote = {
            method: 'GET',
            route: '/quote',
            path: `/quote?zip=${intBetween(b.rng, 10000, 99999)}`,
          };
          return httpCallWithRetry(b, server, d['api-gateway'], d.shipping, quote, ti, false, (s, a) =>
            work(b, d.shipping, s, 'compute rates', 4, a, {
              'app.shipping.carriers': ['ups', 'dhl', 'fedex'],
            }),
          );
        }
        const cart = { method: 'GET', route: '/cart/{userId}', path: `/cart/${user}` };
        return httpCallWithRetry(b, server, d['api-gateway'], d.orders, cart, ti, false, (s, a) => {
          const cached = cacheGet(b, s, d.orders, `cart:${user}`, a, 0.8);
          if (cached.hit && ctx.fail !== 'orders-db') return cached;
          const failure = ctx.fail === 'orders-db' ? TIMEOUT : undefined;
          const statement = 'SELECT sku, quantity, price FROM cart_items WHERE user_id = $1';
          const q = { operation: 'SELECT', table: 'cart_items', statement, medianMs: 3, failure };
          const r = sqlQuery(b, s, d.orders, q, cached.end + b.lat(0.05));
          return propagate(b, s, r, {
            type: 'org.springframework.dao.QueryTimeoutException',
            message: TIMEOUT.message,
          });
        });
      });
      return propagate(b, server, both, GATEWAY_ERR);
    });
    if (api.failed) return propagate(b, root, api, GATEWAY_ERR);
    return work(b, d.frontend, root, 'render cart', 2, api.end + b.lat(0.05));
  },
};

const DECLINED: Failure = {
  type: 'PaymentProviderError',
  message: 'card processor returned 502 Bad Gateway',
};

/** payments: fraud check, the charge record, and (on a failing trace) a provider error. */
function charge(ctx: FlowContext, server: Span, at: bigint, amount: number): Outcome {
  const { b, d } = ctx;
  server.attributes['app.payment.amount'] = amount;
  server.attributes['app.payment.currency'] = 'EUR';
  const fraud = work(b, d.payments, server, 'fraud check', 5, at, {
    'app.fraud.score': Math.round(b.rng() * 100) / 100,
  });
  const provider = fraud.end + b.lat(40, 'payments');
  if (ctx.fail === 'payments') {
    b.fail(server, DECLINED, provider);
    return { end: provider, failed: true };
  }
  const statement = 'INSERT INTO payments (order_id, amount, currency, status) VALUES ($1, $2, $3, $4)';
  return sqlQuery(
    b,
    server,
    d.payments,
    { operation: 'INSERT', table: 'payments', statement, medianMs: 2 },
    provider,
  );
}

/** shipping, after the queue: create the shipment and store it. */
function ship(ctx: FlowContext, span: Span, at: bigint, orderId: string): Outcome {
  const { b, d } = ctx;
  const made = work(b, d.shipping, span, 'create shipment', 3, at, { 'app.order.id': orderId });
  const statement = 'INSERT INTO shipments (order_id, carrier, status) VALUES ($1, $2, $3)';
  const q = { operation: 'INSERT', table: 'shipments', statement, medianMs: 2 };
  return sqlQuery(b, span, d.shipping, q, made.end + b.lat(0.05));
}

export const checkoutFlow: Flow = {
  method: 'POST',
  route: '/checkout',
  path: '/checkout',
  run(ctx, root, t) {
    const { b, d } = ctx;
    const items = intBetween(b.rng, 1, 4);
    const orderId = `ord-${randomId(b.rng, 1)}`;
    const amount = Math.round((5 + b.rng() * 400) * 100) / 100;
    const flakyPayments = chance(b.rng, 0.15);
    root.attributes['app.cart.items'] = BigInt(items);
    const valid = work(b, d.frontend, root, 'validate cart', 0.8, t, { 'app.cart.items': BigInt(items) });
    const req = { method: 'POST', route: '/api/orders', path: '/api/orders' };
    const api = httpCallWithRetry(b, root, d.frontend, d['api-gateway'], req, valid.end, false, (gw, at) => {
      const auth = authenticate(ctx, gw, at);
      const stock = fanOut(b, auth.end + b.lat(0.05), items, (_, ti) =>
        stockLookup(ctx, gw, sku(ctx), ti, false),
      );
      if (stock.failed) return propagate(b, gw, stock, GATEWAY_ERR);
      const create = { method: 'POST', route: '/orders', path: '/orders' };
      const order = httpCallWithRetry(
        b,
        gw,
        d['api-gateway'],
        d.orders,
        create,
        stock.end,
        false,
        (os, a) => {
          os.attributes['app.order.id'] = orderId;
          const failure = ctx.fail === 'orders-db' ? TIMEOUT : undefined;
          const statement = 'INSERT INTO orders (id, user_id, total, status) VALUES ($1, $2, $3, $4)';
          const q = { operation: 'INSERT', table: 'orders', statement, medianMs: 3, failure };
          const ins = sqlQuery(b, os, d.orders, q, a);
          if (ins.failed)
            return propagate(b, os, ins, {
              type: 'org.hibernate.QueryTimeoutException',
              message: TIMEOUT.message,
            });
          const pay = { method: 'POST', route: '/charge', path: '/charge' };
          const paid = httpCallWithRetry(
            b,
            os,
            d.orders,
            d.payments,
            pay,
            ins.end + b.lat(0.1),
            flakyPayments,
            (ps, pa) => charge(ctx, ps, pa, amount),
          );
          if (paid.failed)
            return propagate(b, os, paid, {
              type: 'shop.orders.PaymentFailedException',
              message: DECLINED.message,
            });
          const { published } = publishAndConsume(
            b,
            os,
            d.orders,
            d.shipping,
            'orders',
            orderId,
            paid.end,
            (span, pt) => ship(ctx, span, pt, orderId),
          );
          const statement2 = "UPDATE orders SET status = 'PAID' WHERE id = $1";
          const upd = { operation: 'UPDATE', table: 'orders', statement: statement2, medianMs: 1.5 };
          return sqlQuery(b, os, d.orders, upd, published + b.lat(0.05));
        },
      );
      return propagate(b, gw, order, GATEWAY_ERR);
    });
    return propagate(b, root, api, GATEWAY_ERR);
  },
};

/** Each flow breaks somewhere it depends on; checkout most often at the payment provider. */
export function chooseFailureSite(rng: Rng, flow: Flow): FailureSite {
  if (flow === browseFlow) return 'inventory-db';
  if (flow === cartFlow) return 'orders-db';
  return pick(rng, ['inventory-db', 'orders-db', 'payments', 'payments'] as const);
}

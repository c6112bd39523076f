/**
 * gateway: the public edge. Checks the request, authenticates the customer and hands the
 * order to the orders service; its SERVER span is the root of every order's trace.
 */
import { addAttributes, withSpan } from '@genba/sdk';
import type { OrderReceipt, OrderRequest } from '../order.ts';
import { invalidOrder } from '../order.ts';
import { sleep } from '../random.ts';
import { HttpError } from '../runtime/http-error.ts';
import { runService } from '../runtime/service-main.ts';

await runService('gateway', (ctx) => ({
  routes: {
    'POST /orders': async ({ body }) => {
      const problem = invalidOrder(body);
      if (problem !== undefined) throw new HttpError(400, 'invalid-order', problem);
      const order = body as OrderRequest;
      addAttributes({ 'order.no': order.orderNo, 'customer.id': order.customerId });
      await withSpan('authenticate', { 'enduser.id': order.customerId }, () => sleep(2));
      const receipt = await ctx.call<OrderReceipt>('orders', 'POST', '/orders', order, { timeoutMs: 15_000 });
      addAttributes({ 'order.id': receipt.orderId });
      return { status: 201, body: receipt };
    },
  },
}));

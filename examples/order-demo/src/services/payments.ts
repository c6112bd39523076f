/**
 * payments: charges a card with an external processor. Following the fault plan, the
 * processor times out now and then (503, worth a retry), declines a card (402, final) or is slow.
 */
import type { ActionHandle } from '@genba/sdk';
import { action, addAttributes, withSpan } from '@genba/sdk';
import { context, trace } from '@opentelemetry/api';
import { faultPlan } from '../fault-plan.ts';
import type { Rng } from '../random.ts';
import { between, rngFor, sleep } from '../random.ts';
import { HttpError } from '../runtime/http-error.ts';
import { runService } from '../runtime/service-main.ts';

interface ChargeRequest {
  orderNo: number;
  customerId: string;
  amountCents: number;
}

/** The charge itself; ends `handle` with the outcome the business cares about. */
async function charge(handle: ActionHandle, request: ChargeRequest, attempt: number, seed: number, rng: Rng) {
  const plan = faultPlan(seed, request.orderNo);
  await withSpan('fraud-check', { 'enduser.id': request.customerId }, () => sleep(between(rng, 2, 8)));
  const slow = plan.slow?.service === 'payments' && attempt === 1;
  const authorizeMs = slow ? (plan.slow?.ms ?? 0) : between(rng, 15, 45);
  await withSpan('processor authorize', { 'payment.processor': 'acme-pay' }, async () => {
    if (slow) addAttributes({ 'demo.slow_path': true });
    await sleep(authorizeMs);
    if (attempt <= plan.transientFailures)
      throw new HttpError(503, 'processor-timeout', 'acme-pay did not answer in time');
  });
  if (plan.declined) {
    handle.end({ result: 'failure', metadata: { reason: 'card-declined' } });
    throw new HttpError(402, 'payment-declined', 'card declined by issuer');
  }
  handle.end({ result: 'success' });
  return { status: 'captured', chargeId: `ch-${request.orderNo}-${attempt}` };
}

await runService('payments', (ctx) => ({
  routes: {
    'POST /charges': async ({ body, headers }) => {
      const request = body as ChargeRequest;
      // The plan says which attempts fail; the caller numbers its attempts in a header.
      const attempt = Number(headers['x-attempt'] ?? 1);
      const rng = rngFor(ctx.seed, `payments@${attempt}`, request.orderNo);
      addAttributes({ 'payment.attempt': attempt, 'payment.amount_cents': request.amountCents });
      const handle = action.execute({
        action: 'charge-card',
        metadata: { orderNo: request.orderNo, amountCents: request.amountCents, attempt },
      });
      try {
        // `execute` does not make its span active; do so, so the steps nest under the action.
        const result = await context.with(trace.setSpan(context.active(), handle.span), () =>
          charge(handle, request, attempt, ctx.seed, rng),
        );
        return { status: 200, body: result };
      } catch (err) {
        if (!handle.ended) handle.end({ result: 'failure', metadata: { reason: (err as HttpError).reason } });
        throw err;
      }
    },
  },
}));

/**
 * The `batch` processor, keyed like the Collector's: `send_batch_size` (default 8192) sends a
 * batch once it holds that many spans, `timeout` (default 200ms) sends whatever is pending that
 * long after its first span arrived (0: send at once), `send_batch_max_size` (0: no maximum)
 * splits larger batches.
 *
 * Unlike the Collector's, it keeps Genba's acknowledgement rule: `consume` resolves only when
 * every batch that holds some of its spans has been consumed by the next stage (durable), and
 * rejects as soon as one of those batches is rejected. The caller then answers with an error and
 * the client retries; spans of that request that went out in other batches may be stored twice,
 * which the store's at-least-once contract already allows.
 */
import type { Span } from '@genba/model';
import { GenbaError } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';
import { durationField, durationMs } from '../config/duration.ts';
import type { Metrics } from '../metrics.ts';
import type { SpanConsumer } from '../span-consumer.ts';

export const batchProcessorConfig = z
  .object({
    send_batch_size: z.number().int().nonnegative().default(8192),
    timeout: durationField('timeout', '200ms'),
    send_batch_max_size: z.number().int().nonnegative().default(0),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.send_batch_max_size > 0 && c.send_batch_max_size < c.send_batch_size)
      ctx.addIssue({
        code: 'custom',
        path: ['send_batch_max_size'],
        message: `send_batch_max_size (${c.send_batch_max_size}) must be 0 or at least send_batch_size (${c.send_batch_size})`,
      });
  });

export type BatchProcessorConfig = z.output<typeof batchProcessorConfig>;

/** One consume call, settled when all the batches holding its spans are. */
interface Ticket {
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

interface OpenBatch {
  spans: Span[];
  tickets: Ticket[];
  timer: NodeJS.Timeout | undefined;
}

const instances = new WeakMap<Metrics, Set<BatchProcessor>>();

function register(metrics: Metrics, p: BatchProcessor): Set<BatchProcessor> {
  let set = instances.get(metrics);
  if (!set) {
    const live = new Set<BatchProcessor>();
    set = live;
    instances.set(metrics, live);
    metrics.gauge('genba_batch_pending_spans', 'Spans held by batch processors, not yet sent on', () =>
      [...live].reduce((n, b) => n + b.pending, 0),
    );
  }
  set.add(p);
  return set;
}

export class BatchProcessor implements Stage {
  #next: SpanConsumer;
  #size: number;
  #max: number;
  #timeoutMillis: number;
  #open: OpenBatch = { spans: [], tickets: [], timer: undefined };
  #sending = new Set<Promise<void>>();
  #closed = false;
  #registry: Set<BatchProcessor>;

  constructor(config: BatchProcessorConfig, next: SpanConsumer, ctx: ComponentContext) {
    this.#next = next;
    this.#size = config.send_batch_size;
    this.#max = config.send_batch_max_size;
    this.#timeoutMillis = durationMs(config.timeout);
    this.#registry = register(ctx.metrics, this);
  }

  /** Spans in the open batch. */
  get pending(): number {
    return this.#open.spans.length;
  }

  consume(spans: Span[]): Promise<void> {
    if (this.#closed) return Promise.reject(new GenbaError('unavailable', 'batch processor is shut down'));
    if (spans.length === 0) return Promise.resolve();
    let ticket!: Ticket;
    const done = new Promise<void>((resolve, reject) => {
      ticket = { remaining: 0, settled: false, resolve, reject };
    });
    let offset = 0;
    while (offset < spans.length) {
      const open = this.#open;
      const room = this.#max > 0 ? this.#max - open.spans.length : spans.length - offset;
      const end = Math.min(spans.length, offset + room);
      for (let i = offset; i < end; i++) open.spans.push(spans[i]);
      offset = end;
      if (open.tickets[open.tickets.length - 1] !== ticket) {
        open.tickets.push(ticket);
        ticket.remaining++;
      }
      const full =
        this.#timeoutMillis === 0 ||
        (this.#size > 0 && open.spans.length >= this.#size) ||
        (this.#max > 0 && open.spans.length >= this.#max);
      if (full) this.#send();
    }
    const open = this.#open;
    if (open.spans.length > 0 && open.timer === undefined) {
      open.timer = setTimeout(() => {
        if (this.#open === open) this.#send();
      }, this.#timeoutMillis);
    }
    return done;
  }

  /** Hands the open batch to the next stage and settles its tickets with the outcome. */
  #send(): void {
    const batch = this.#open;
    this.#open = { spans: [], tickets: [], timer: undefined };
    if (batch.timer !== undefined) clearTimeout(batch.timer);
    if (batch.spans.length === 0) return;
    let result: Promise<void>;
    try {
      result = this.#next.consume(batch.spans);
    } catch (err) {
      result = Promise.reject(err);
    }
    const sending = result.then(
      () => {
        for (const t of batch.tickets)
          if (--t.remaining === 0 && !t.settled) {
            t.settled = true;
            t.resolve();
          }
      },
      (err: unknown) => {
        for (const t of batch.tickets)
          if (!t.settled) {
            t.settled = true;
            t.reject(err);
          }
      },
    );
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
  }

  /** Sends what is pending and waits for every batch in flight; later input is refused. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    this.#send();
    await Promise.all([...this.#sending]);
    this.#registry.delete(this);
  }
}

export function createBatchProcessor(
  config: BatchProcessorConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  _name = 'batch',
): BatchProcessor {
  return new BatchProcessor(config, next, ctx);
}

/**
 * What the OTLP exporters share around their transport: retries, the optional sending queue,
 * self-metrics and shutdown. Without the queue (Genba's default) `consume` resolves only when
 * the backend acknowledged the batch, so durability-before-ack holds end to end; when the
 * backend stays unreachable it rejects with GenbaError('unavailable') and the receiver upstream
 * answers 503 / UNAVAILABLE. With the queue, `consume` resolves once the batch is queued.
 */
import type { Span } from '@genba/model';
import { GenbaError } from '@genba/model';
import type { ComponentContext, Stage } from '../component.ts';
import type { Metrics } from '../metrics.ts';
import { SendingQueue } from './export-queue.ts';
import type { AttemptResult, SendOutcome } from './export-retry.ts';
import { sendWithRetry } from './export-retry.ts';
import type { QueueSettings, RetrySettings } from './export-settings.ts';

/** One wire protocol: encodes a batch once, then sends those bytes on each attempt. */
export interface ExportTransport<P> {
  /** Where it sends, for messages. */
  readonly target: string;
  prepare(spans: Span[]): Promise<P>;
  send(payload: P, timeoutMs: number): Promise<AttemptResult>;
  close(): void;
}

export interface ExportStageSettings {
  /** The component name, the `exporter` label: `otlp`, `otlp/backup`. */
  name: string;
  timeoutMs: number;
  retry: RetrySettings;
  queue: QueueSettings;
}

// Metrics.gauge has no labels: one gauge per Metrics sums the queues of every exporter on it.
const queueGauges = new WeakMap<Metrics, Set<() => number>>();

function registerQueueGauge(metrics: Metrics, read: () => number): () => void {
  let reads = queueGauges.get(metrics);
  if (!reads) {
    const set = new Set<() => number>();
    reads = set;
    queueGauges.set(metrics, set);
    metrics.gauge('genba_exporter_queue_size', 'Batches waiting in exporters sending queues', () => {
      let total = 0;
      for (const r of set) total += r();
      return total;
    });
  }
  reads.add(read);
  return () => reads.delete(read);
}

interface Batch<P> {
  spans: Span[];
  payload: P;
}

export class ExportStage<P> implements Stage {
  #transport: ExportTransport<P>;
  #settings: ExportStageSettings;
  #ctx: ComponentContext;
  #sent: (labels: Record<string, string>, by?: number) => void;
  #failed: (labels: Record<string, string>, by?: number) => void;
  #queue?: SendingQueue<Batch<P>>;
  #unregister?: () => void;
  #stop = new AbortController();
  #inFlight = new Set<Promise<unknown>>();

  constructor(transport: ExportTransport<P>, settings: ExportStageSettings, ctx: ComponentContext) {
    this.#transport = transport;
    this.#settings = settings;
    this.#ctx = ctx;
    this.#sent = ctx.metrics.counter(
      'genba_exporter_spans_sent_total',
      'Spans exporters delivered, by exporter',
    );
    this.#failed = ctx.metrics.counter(
      'genba_exporter_spans_failed_total',
      'Spans exporters could not deliver, by exporter',
    );
    if (settings.queue.enabled) {
      const queue = new SendingQueue<Batch<P>>(settings.queue.size, settings.queue.consumers, async (b) => {
        await this.#deliver(b).catch(() => {}); // counted and logged in #deliver
      });
      this.#queue = queue;
      this.#unregister = registerQueueGauge(ctx.metrics, () => queue.size);
    }
  }

  async consume(spans: Span[]): Promise<void> {
    const label = { exporter: this.#settings.name };
    if (this.#stop.signal.aborted) {
      this.#failed(label, spans.length);
      throw new GenbaError('unavailable', `exporter ${this.#settings.name} is shut down`, { retryAfter: 1 });
    }
    if (spans.length === 0) return;
    const batch = { spans, payload: await this.#transport.prepare(spans) };
    if (this.#queue) {
      if (this.#queue.offer(batch)) return;
      this.#failed(label, spans.length);
      throw new GenbaError(
        'too_many_requests',
        `exporter ${this.#settings.name}: sending queue is full (${this.#settings.queue.size} batches); retry later`,
        { retryAfter: 1 },
      );
    }
    const delivery = this.#deliver(batch);
    this.#inFlight.add(delivery);
    try {
      await delivery;
    } finally {
      this.#inFlight.delete(delivery);
    }
  }

  /** Stops taking batches, sends what the queue holds (one attempt each), then closes the transport. */
  async shutdown(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    await this.#queue?.close();
    await Promise.allSettled([...this.#inFlight]);
    this.#unregister?.();
    this.#transport.close();
  }

  /** Sends one batch with retries; counts it; rejects only when it gave up on a retryable failure. */
  async #deliver(batch: Batch<P>): Promise<void> {
    const { name, timeoutMs, retry } = this.#settings;
    const label = { exporter: name };
    const n = batch.spans.length;
    const outcome: SendOutcome = await sendWithRetry(
      () => this.#transport.send(batch.payload, timeoutMs),
      retry,
      this.#stop.signal,
    );
    if (outcome.kind === 'sent') {
      const rejected = Math.min(n, Math.max(0, outcome.rejected));
      if (rejected > 0 || outcome.message !== '') {
        this.#ctx.log.warn(
          `exporter ${name}: ${this.#transport.target} rejected ${rejected} of ${n} spans${outcome.message ? `: ${outcome.message}` : ''}`,
        );
      }
      this.#sent(label, n - rejected);
      if (rejected) this.#failed(label, rejected);
      return;
    }
    this.#failed(label, n);
    if (outcome.kind === 'dropped') {
      this.#ctx.log.warn(`exporter ${name}: dropped ${n} spans: ${outcome.error}`);
      return;
    }
    this.#ctx.log.warn(`exporter ${name}: could not deliver ${n} spans: ${outcome.error}`);
    throw new GenbaError('unavailable', `exporter ${name}: ${outcome.error}`, {
      retryAfter: Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)),
    });
  }
}

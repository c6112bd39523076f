/**
 * The `memory_limiter` processor, first in every pipeline, keyed like the Collector's:
 * `check_interval`, `limit_mib`/`spike_limit_mib` or `limit_percentage`/`spike_limit_percentage`
 * (of total memory: the cgroup limit when there is one), `min_gc_interval_when_hard_limited`.
 *
 * Every `check_interval` it measures the process's RSS. RSS rather than the V8 heap, because the
 * embedded store's engine (chdb) lives in this process and its memory is not on the heap. Above
 * the soft limit (limit − spike) it refuses new spans with 429 and Retry-After, without calling
 * the next consumer, until a later check finds usage below the soft limit again; above the hard
 * limit it also runs `global.gc` when Node was started with --expose-gc.
 *
 * It also bounds the spans in flight (decoded, not yet durable): `max_in_flight_spans`, a Genba
 * extension, refuses a request that would pass the bound while others are in flight (a single
 * request larger than the bound still passes when nothing else is in flight, so it can be served).
 */
import { totalmem } from 'node:os';
import type { Span } from '@genba/model';
import { GenbaError, parseDuration } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';
import { durationField, durationMs } from '../config/duration.ts';
import type { Metrics } from '../metrics.ts';
import type { SpanConsumer } from '../span-consumer.ts';

const MIB = 1024 * 1024;

export const memoryLimiterConfig = z
  .object({
    check_interval: durationField('check_interval', '1s'),
    limit_mib: z.number().int().nonnegative().default(0),
    spike_limit_mib: z.number().int().nonnegative().default(0),
    limit_percentage: z.number().int().min(0).max(100).default(0),
    spike_limit_percentage: z.number().int().min(0).max(100).default(0),
    min_gc_interval_when_hard_limited: durationField('min_gc_interval_when_hard_limited', '0s'),
    /** Genba extension: bound on spans decoded and not yet durable. */
    max_in_flight_spans: z.number().int().positive().default(200_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (parseDuration(c.check_interval) === 0n)
      ctx.addIssue({
        code: 'custom',
        path: ['check_interval'],
        message: 'check_interval must be greater than zero',
      });
    if (c.limit_mib === 0 && c.limit_percentage === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['limit_mib'],
        message: 'set limit_mib or limit_percentage (one of them must be greater than zero)',
      });
    if (c.limit_mib > 0 && c.spike_limit_mib >= c.limit_mib)
      ctx.addIssue({
        code: 'custom',
        path: ['spike_limit_mib'],
        message: `spike_limit_mib (${c.spike_limit_mib}) must be smaller than limit_mib (${c.limit_mib})`,
      });
    if (c.limit_mib === 0 && c.limit_percentage > 0 && c.spike_limit_percentage >= c.limit_percentage)
      ctx.addIssue({
        code: 'custom',
        path: ['spike_limit_percentage'],
        message: `spike_limit_percentage (${c.spike_limit_percentage}) must be smaller than limit_percentage (${c.limit_percentage})`,
      });
  });

export type MemoryLimiterConfig = z.output<typeof memoryLimiterConfig>;

export interface MemoryLimiterOptions {
  /** Bytes the process uses now; process.memoryUsage.rss by default. */
  measure?: () => number;
  /** Forces a collection; global.gc (only present with --expose-gc) by default. */
  gc?: () => void;
  /** Total memory in bytes for the percentage keys; the cgroup limit or os.totalmem by default. */
  totalMemory?: () => number;
}

/** Memory the process may use: the container's limit when it has one, else the machine's. */
function systemMemory(): number {
  const total = totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return constrained && constrained > 0 && constrained < total ? constrained : total;
}

export interface Limits {
  hard: number;
  soft: number;
}

/** Hard and soft limits in bytes; the spike defaults to 20% of the limit, as in the Collector. */
export function memoryLimits(c: MemoryLimiterConfig, total: number): Limits {
  if (c.limit_mib > 0) {
    const hard = c.limit_mib * MIB;
    const spike = c.spike_limit_mib > 0 ? c.spike_limit_mib * MIB : Math.floor(hard / 5);
    return { hard, soft: hard - spike };
  }
  const hard = Math.floor((total * c.limit_percentage) / 100);
  const spike =
    c.spike_limit_percentage > 0
      ? Math.floor((total * c.spike_limit_percentage) / 100)
      : Math.floor(hard / 5);
  return { hard, soft: hard - spike };
}

const mib = (bytes: number) => (bytes / MIB).toFixed(0);

/** Gauges are per Metrics, not per instance, so several limiters report together. */
const instances = new WeakMap<Metrics, Set<MemoryLimiter>>();

function register(metrics: Metrics, limiter: MemoryLimiter): Set<MemoryLimiter> {
  let set = instances.get(metrics);
  if (!set) {
    const live = new Set<MemoryLimiter>();
    set = live;
    instances.set(metrics, live);
    metrics.gauge('genba_memory_limiter_rss_bytes', 'Process RSS at the last memory check, in bytes', () =>
      Math.max(0, ...[...live].map((l) => l.usage)),
    );
    metrics.gauge('genba_memory_limiter_refusing', '1 while a memory limiter refuses data, else 0', () =>
      [...live].some((l) => l.refusing) ? 1 : 0,
    );
    metrics.gauge(
      'genba_memory_limiter_spans_in_flight',
      'Spans accepted by memory limiters and not yet durable',
      () => [...live].reduce((n, l) => n + l.inFlight, 0),
    );
  }
  set.add(limiter);
  return set;
}

export class MemoryLimiter implements Stage {
  readonly limits: Limits;
  #next: SpanConsumer;
  #ctx: ComponentContext;
  #name: string;
  #maxInFlight: number;
  #measure: () => number;
  #gc: (() => void) | undefined;
  #minGcMillis: number;
  #lastGc = Number.NEGATIVE_INFINITY;
  #usage = 0;
  #refusing = false;
  #inFlight = 0;
  #timer: NodeJS.Timeout;
  #refused: (labels: Record<string, string>, by?: number) => void;
  #registry: Set<MemoryLimiter>;

  constructor(
    config: MemoryLimiterConfig,
    next: SpanConsumer,
    ctx: ComponentContext,
    name: string,
    opts: MemoryLimiterOptions,
  ) {
    this.#next = next;
    this.#ctx = ctx;
    this.#name = name;
    this.#maxInFlight = config.max_in_flight_spans;
    this.#measure = opts.measure ?? (() => process.memoryUsage.rss());
    this.#gc = opts.gc ?? (globalThis as { gc?: () => void }).gc;
    this.#minGcMillis = durationMs(config.min_gc_interval_when_hard_limited);
    this.limits = memoryLimits(config, (opts.totalMemory ?? systemMemory)());
    this.#refused = ctx.metrics.counter(
      'genba_processor_spans_refused_total',
      'Spans processors refused (the sender should retry), by processor and reason',
    );
    this.#registry = register(ctx.metrics, this);
    this.check();
    const every = Math.max(1, durationMs(config.check_interval));
    this.#timer = setInterval(() => this.check(), every);
    this.#timer.unref();
  }

  get usage(): number {
    return this.#usage;
  }

  get refusing(): boolean {
    return this.#refusing;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** One measurement, as the timer takes it every check_interval. */
  check(): void {
    let usage = this.#measure();
    if (usage > this.limits.hard && this.#gc) {
      const now = performance.now();
      if (now - this.#lastGc >= this.#minGcMillis) {
        this.#lastGc = now;
        this.#gc();
        usage = this.#measure();
      }
    }
    this.#usage = usage;
    const refusing = usage > this.limits.soft;
    if (refusing && !this.#refusing)
      this.#ctx.log.warn(
        `${this.#name}: memory usage ${mib(usage)} MiB is above the soft limit of ${mib(this.limits.soft)} MiB; refusing data`,
      );
    else if (!refusing && this.#refusing)
      this.#ctx.log.info(
        `${this.#name}: memory usage ${mib(usage)} MiB is below the soft limit again; accepting data`,
      );
    this.#refusing = refusing;
  }

  async consume(spans: Span[]): Promise<void> {
    const n = spans.length;
    if (this.#refusing) {
      this.#refused({ processor: this.#name, reason: 'memory' }, n);
      throw new GenbaError(
        'too_many_requests',
        `${this.#name}: memory usage ${mib(this.#usage)} MiB is above the soft limit of ${mib(this.limits.soft)} MiB ` +
          `(limit ${mib(this.limits.hard)} MiB); retry later`,
        { retryAfter: 1 },
      );
    }
    if (this.#inFlight > 0 && this.#inFlight + n > this.#maxInFlight) {
      this.#refused({ processor: this.#name, reason: 'in_flight' }, n);
      throw new GenbaError(
        'too_many_requests',
        `${this.#name}: ${this.#inFlight} spans in flight, the limit is ${this.#maxInFlight} (max_in_flight_spans); retry later`,
        { retryAfter: 1 },
      );
    }
    this.#inFlight += n;
    try {
      await this.#next.consume(spans);
    } finally {
      this.#inFlight -= n;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#registry.delete(this);
  }
}

export function createMemoryLimiter(
  config: MemoryLimiterConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  name = 'memory_limiter',
  opts: MemoryLimiterOptions = {},
): MemoryLimiter {
  return new MemoryLimiter(config, next, ctx, name, opts);
}

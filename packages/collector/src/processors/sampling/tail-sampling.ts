/**
 * `tail_sampling`, as the OTel Collector's: spans are held per trace; `decision_wait` after a
 * trace's first span the policies vote in order and the trace is sampled by the Collector's rule
 * (policy.ts). Sampled traces go to the next stage whole, several traces to a batch; spans that
 * arrive after their trace was decided follow the decision, which is remembered for at least
 * max(num_traces, decision_cache sizes) later traces.
 *
 * Bounds: past `num_traces` held traces, or `max_held_spans` held spans, the oldest trace is
 * decided early on the spans it has (not dropped, unlike the Collector: a trace with an error
 * is still kept), counted in `genba_tail_sampling_early_decisions_total{processor,reason}`.
 *
 * Durability: `consume` resolves once the spans are buffered, before any decision. Spans held
 * for a decision are therefore acknowledged but not yet durable: a crash (or kill -9) loses them.
 * That is the price of deciding on whole traces; put the sampler after nothing that promises more.
 * Late spans of a sampled trace are passed on within `consume`, so a refusal reaches the caller
 * (whose client retries). A refusal of a decided batch has no caller left: its spans are counted
 * in `genba_processor_spans_dropped_total{reason="next_refused"}` and logged.
 *
 * Metrics: `genba_sampling_decisions_total{processor,policy,decision}` per policy evaluated,
 * `genba_processor_spans_dropped_total{processor,reason}` (not_sampled, next_refused, shutdown),
 * the gauge `genba_tail_sampling_traces_held` (summed over tail samplers).
 */
import type { Span } from '@genba/model';
import { GenbaError } from '@genba/model';
import type { ComponentContext, Stage } from '../../component.ts';
import { durationMs } from '../../config/duration.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { buildPolicy } from './build-policy.ts';
import { combineVotes, type Decision, type Evaluator } from './policy.ts';
import { RecentDecisions } from './recent-decisions.ts';
import { addGaugeReader } from './shared-gauge.ts';
import type { TailSamplingConfig } from './tail-sampling-config.ts';

export { type TailSamplingConfig, tailSamplingConfig } from './tail-sampling-config.ts';

export interface SamplerClockOptions {
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
  /** false: no timer runs, the owner calls `tick()` (tests). */
  timer?: boolean;
}

export interface TailSampler extends Stage {
  /** Decides every trace whose decision_wait has passed and sends the sampled ones. */
  tick(): Promise<void>;
  /** Traces held now, awaiting a decision. */
  readonly held: number;
  shutdown(): Promise<void>;
}

interface Held {
  id: string;
  spans: Span[];
  firstSeen: number;
}

/** Spans per batch handed on; traces are never cut, so one large trace may exceed it. */
const BATCH_SPANS = 8192;

class TailSamplingProcessor implements TailSampler {
  readonly #name: string;
  readonly #next: SpanConsumer;
  readonly #ctx: ComponentContext;
  readonly #config: TailSamplingConfig;
  readonly #policies: { name: string; evaluator: Evaluator }[];
  readonly #waitMs: number;
  readonly #now: () => number;
  /** Held traces by id; #order lists them by first span (stale entries are skipped). */
  readonly #held = new Map<string, Held>();
  #order: Held[] = [];
  #head = 0;
  #heldSpans = 0;
  readonly #decided: RecentDecisions<boolean>;
  readonly #inflight = new Set<Promise<void>>();
  #chain: Promise<void> = Promise.resolve();
  #ticking = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #removeGauge: () => void;
  readonly #votes;
  readonly #dropped;
  readonly #early;

  constructor(
    config: TailSamplingConfig,
    next: SpanConsumer,
    ctx: ComponentContext,
    name: string,
    options: SamplerClockOptions,
  ) {
    this.#name = name;
    this.#next = next;
    this.#ctx = ctx;
    this.#config = config;
    this.#now = options.now ?? (() => performance.now());
    this.#waitMs = durationMs(config.decision_wait);
    const start = this.#now();
    this.#policies = config.policies.map((p) => ({ name: p.name, evaluator: buildPolicy(p, start) }));
    const cache = config.decision_cache;
    this.#decided = new RecentDecisions(
      Math.max(config.num_traces, cache.sampled_cache_size, cache.non_sampled_cache_size),
    );
    const m = ctx.metrics;
    this.#votes = m.counter(
      'genba_sampling_decisions_total',
      'Sampling decisions, by processor, policy and decision',
    );
    this.#dropped = m.counter(
      'genba_processor_spans_dropped_total',
      'Spans a processor dropped, by processor and reason',
    );
    this.#early = m.counter(
      'genba_tail_sampling_early_decisions_total',
      'Traces decided before decision_wait because memory bounds were reached, by processor and reason',
    );
    this.#removeGauge = addGaugeReader(
      m,
      'genba_tail_sampling_traces_held',
      'Traces held by tail samplers, awaiting a decision',
      (values) => values.reduce((a, b) => a + b, 0),
      () => this.#held.size,
    );
    if (options.timer !== false) {
      // The Collector decides once a second; a short decision_wait is checked more often.
      const every = Math.min(1000, Math.max(10, this.#waitMs / 10));
      this.#timer = setInterval(() => {
        if (!this.#ticking) this.tick().catch((err) => ctx.log.warn(`${name}: ${String(err)}`));
      }, every);
      this.#timer.unref();
    }
  }

  get held(): number {
    return this.#held.size;
  }

  async consume(spans: Span[]): Promise<void> {
    if (this.#closed) throw new GenbaError('unavailable', `${this.#name} is shut down`);
    const now = this.#now();
    const late: Span[] = [];
    const early: Span[][] = [];
    let lateDropped = 0;
    for (const span of spans) {
      const id = span.traceId;
      const held = this.#held.get(id);
      if (held) {
        held.spans.push(span);
        this.#heldSpans++;
      } else {
        const known = this.#decided.get(id);
        if (known === true) late.push(span);
        else if (known === false) lateDropped++;
        else {
          const h: Held = { id, spans: [span], firstSeen: now };
          this.#held.set(id, h);
          this.#order.push(h);
          this.#heldSpans++;
        }
      }
      // Over a bound: decide the oldest trace now, on the spans it has.
      while (this.#held.size > this.#config.num_traces) this.#decideEarly('num_traces', early);
      while (this.#heldSpans > this.#config.max_held_spans) this.#decideEarly('max_held_spans', early);
    }
    if (lateDropped > 0) this.#dropped({ processor: this.#name, reason: 'not_sampled' }, lateDropped);
    const work: Promise<void>[] = [];
    if (early.length > 0) work.push(this.#send(early));
    if (late.length > 0) work.push(this.#next.consume(late));
    await Promise.all(work);
  }

  tick(): Promise<void> {
    const run = this.#chain.then(() => this.#runTick());
    this.#chain = run.catch(() => {});
    return run;
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#chain;
    const pending: Held[] = [];
    for (let h = this.#oldest(); h; h = this.#oldest()) {
      this.#remove(h);
      pending.push(h);
    }
    if (this.#config.drop_pending_traces_on_shutdown) {
      const n = pending.reduce((s, h) => s + h.spans.length, 0);
      if (n > 0) this.#dropped({ processor: this.#name, reason: 'shutdown' }, n);
    } else {
      await this.#send(this.#decideAll(pending));
    }
    await Promise.all(this.#inflight);
    this.#removeGauge();
  }

  async #runTick(): Promise<void> {
    this.#ticking = true;
    try {
      const now = this.#now();
      const due: Held[] = [];
      for (let h = this.#oldest(); h && now - h.firstSeen >= this.#waitMs; h = this.#oldest()) {
        this.#remove(h);
        due.push(h);
      }
      if (due.length > 0) await this.#send(this.#decideAll(due));
    } finally {
      this.#ticking = false;
    }
  }

  /** The trace held longest, skipping entries already decided. */
  #oldest(): Held | undefined {
    while (this.#head < this.#order.length) {
      const h = this.#order[this.#head];
      if (this.#held.get(h.id) === h) return h;
      this.#head++;
    }
    return undefined;
  }

  #remove(h: Held): void {
    this.#held.delete(h.id);
    this.#heldSpans -= h.spans.length;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
  }

  #decideEarly(reason: string, into: Span[][]): void {
    const h = this.#oldest();
    if (!h) return;
    this.#remove(h);
    this.#early({ processor: this.#name, reason });
    if (this.#decide(h)) into.push(h.spans);
  }

  #decideAll(traces: Held[]): Span[][] {
    const kept: Span[][] = [];
    for (const h of traces) if (this.#decide(h)) kept.push(h.spans);
    return kept;
  }

  #decide(h: Held): boolean {
    const now = this.#now();
    const votes: Decision[] = [];
    const trace = { traceId: h.id, spans: h.spans };
    for (const p of this.#policies) {
      const d = p.evaluator.evaluate(trace, now);
      votes.push(d);
      this.#votes({ processor: this.#name, policy: p.name, decision: voteLabel(d) });
      if (this.#config.sample_on_first_match && d === 'sampled') break;
    }
    const keep = combineVotes(votes);
    this.#decided.set(h.id, keep);
    if (!keep) this.#dropped({ processor: this.#name, reason: 'not_sampled' }, h.spans.length);
    return keep;
  }

  /** Hands whole traces on in batches; never rejects (a refusal is counted, there is no caller). */
  #send(traces: Span[][]): Promise<void> {
    const run = (async () => {
      let batch: Span[] = [];
      const flush = async () => {
        const out = batch;
        batch = [];
        try {
          await this.#next.consume(out);
        } catch (err) {
          this.#dropped({ processor: this.#name, reason: 'next_refused' }, out.length);
          this.#ctx.log.warn(`${this.#name}: next stage refused ${out.length} sampled spans: ${String(err)}`);
        }
      };
      for (const spans of traces) {
        if (batch.length > 0 && batch.length + spans.length > BATCH_SPANS) await flush();
        for (const s of spans) batch.push(s);
      }
      if (batch.length > 0) await flush();
    })();
    this.#inflight.add(run);
    return run.finally(() => this.#inflight.delete(run));
  }
}

function voteLabel(d: Decision): string {
  if (d === 'dropped') return 'dropped';
  return d === 'sampled' || d === 'inverted_sampled' ? 'sampled' : 'not_sampled';
}

export function createTailSampling(
  config: TailSamplingConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  name = 'tail_sampling',
  options: SamplerClockOptions = {},
): TailSampler {
  return new TailSamplingProcessor(config, next, ctx, name, options);
}

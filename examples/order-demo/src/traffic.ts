/**
 * Drives orders into the gateway at a steady mean rate, with seeded jitter between arrivals
 * and seeded order contents. The driver itself is not traced: the gateway starts each trace.
 */
import type { OrderRequest } from './order.ts';
import { REGIONS, SKUS } from './order.ts';
import type { Rng } from './random.ts';
import { between, mulberry32, pick } from './random.ts';
import type { DemoStats } from './stats.ts';

export interface TrafficOptions {
  /** Orders per second, on average. */
  rate: number;
  /** How long to send, in ms; 0 sends until `stop()`. */
  durationMs: number;
  seed: number;
}

/** Beyond this many unanswered orders the driver waits instead of piling on. */
const MAX_IN_FLIGHT = 200;
const ORDER_TIMEOUT_MS = 30_000;

export class TrafficDriver {
  readonly #url: string;
  readonly #options: TrafficOptions;
  readonly #rng: Rng;
  readonly #stats: DemoStats;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #answered = 0;
  #totalMs = 0;
  /** Settles when sending has stopped and every order sent has its answer. */
  readonly finished: Promise<void>;

  constructor(gatewayUrl: string, options: TrafficOptions, stats: DemoStats) {
    this.#url = new URL('/orders', gatewayUrl).href;
    this.#options = options;
    this.#rng = mulberry32(options.seed);
    this.#stats = stats;
    this.finished = this.#run();
  }

  /** Stops sending; resolves once the orders in flight are answered. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.finished;
  }

  async #run(): Promise<void> {
    const { rate, durationMs } = this.#options;
    const started = performance.now();
    // Arrivals at 0.5–1.5 × the mean gap: steady on average, never in lockstep.
    for (let at = 0; durationMs === 0 || at < durationMs; at += (1000 / rate) * (0.5 + this.#rng())) {
      await this.#sleep(started + at - performance.now());
      while (this.#inFlight.size >= MAX_IN_FLIGHT && !this.#abort.signal.aborted)
        await Promise.race(this.#inFlight);
      if (this.#abort.signal.aborted) break;
      const sent = this.#send(this.#nextOrder()).finally(() => this.#inFlight.delete(sent));
      this.#inFlight.add(sent);
    }
    await Promise.all(this.#inFlight);
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#abort.signal;
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  #nextOrder(): OrderRequest {
    const rng = this.#rng;
    const count = between(rng, 1, 3);
    const lines = [];
    for (let i = 0; i < count; i++) lines.push({ sku: pick(rng, SKUS), quantity: between(rng, 1, 3) });
    return {
      orderNo: this.#stats.sent + 1,
      customerId: `cust-${between(rng, 1, 400)}`,
      region: pick(rng, REGIONS),
      lines,
    };
  }

  async #send(order: OrderRequest): Promise<void> {
    const s = this.#stats;
    s.sent++;
    s.inFlight++;
    const started = performance.now();
    let failure: string | undefined;
    try {
      const res = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
        signal: AbortSignal.timeout(ORDER_TIMEOUT_MS),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      if (res.status !== 201) failure = body.error ?? `http-${res.status}`;
    } catch (err) {
      failure = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'gateway-unreachable';
    }
    const ms = performance.now() - started;
    s.inFlight--;
    this.#answered++;
    this.#totalMs += ms;
    s.meanMs = Math.round(this.#totalMs / this.#answered);
    s.maxMs = Math.max(s.maxMs, Math.round(ms));
    if (failure === undefined) s.ok++;
    else {
      s.failed++;
      s.failures[failure] = (s.failures[failure] ?? 0) + 1;
    }
  }
}

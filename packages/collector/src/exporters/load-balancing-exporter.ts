/**
 * The Collector's `loadbalancing` exporter: every span of a trace (or of a service, with
 * `routing_key: service`) goes to the same backend, chosen on a consistent-hash ring, so that
 * tail sampling or aggregation behind it sees whole traces. Each backend gets its own `otlp`
 * exporter. Genba adds health: a backend that stops answering leaves the ring, its traces (and
 * only those) move to the next backend on the ring, the part of a batch it failed is sent once
 * to its new owner, and it rejoins the ring when its checks pass again. `consume` resolves only
 * when every backend that got a part of the batch acknowledged it.
 */
import type { Span } from '@genba/model';
import { GenbaError, serviceName } from '@genba/model';
import type { ComponentContext, Stage } from '../component.ts';
import { durationMs } from '../config/duration.ts';
import { Metrics } from '../metrics.ts';
import { parseConfig } from './export-settings.ts';
import { HashRing } from './hash-ring.ts';
import type { LoadBalancingExporterConfig } from './load-balancing-config.ts';
import { loadBalancingExporterConfig } from './load-balancing-config.ts';
import { BackendHealth } from './load-balancing-health.ts';
import { OtlpGrpcExporter } from './otlp-grpc-exporter.ts';

export { type LoadBalancingExporterConfig, loadBalancingExporterConfig } from './load-balancing-config.ts';

type Count = (labels: Record<string, string>, by?: number) => void;

// Metrics.gauge has no labels: one gauge per Metrics sums the healthy backends of every balancer.
const healthyGauges = new WeakMap<Metrics, Set<() => number>>();

function registerHealthyGauge(metrics: Metrics, read: () => number): () => void {
  let reads = healthyGauges.get(metrics);
  if (!reads) {
    const set = new Set<() => number>();
    reads = set;
    healthyGauges.set(metrics, set);
    metrics.gauge(
      'genba_loadbalancer_backend_healthy',
      'Backends of loadbalancing exporters that are in their ring (healthy)',
      () => {
        let total = 0;
        for (const r of set) total += r();
        return total;
      },
    );
  }
  reads.add(read);
  return () => reads.delete(read);
}

/**
 * What each backend's otlp exporter counts into: its sent and failed spans become this
 * balancer's per-backend series (failed there includes attempts that then moved elsewhere), so
 * that the `exporter` series are not counted twice.
 */
function backendMetrics(ctx: ComponentContext, exporter: string, backend: string): Metrics {
  const spans = ctx.metrics.counter(
    'genba_loadbalancer_backend_spans_total',
    'Spans each backend of a loadbalancing exporter acknowledged or failed, by exporter, backend and outcome',
  );
  return new (class extends Metrics {
    override counter(name: string, help: string): Count {
      if (name === 'genba_exporter_spans_sent_total')
        return (_l, by) => spans({ exporter, backend, outcome: 'sent' }, by);
      if (name === 'genba_exporter_spans_failed_total')
        return (_l, by) => spans({ exporter, backend, outcome: 'failed' }, by);
      return super.counter(name, help);
    }
  })();
}

/** The `otlp` exporter's own wording when the channel could not reach the backend (or it said so). */
const UNREACHABLE = /\banswered UNAVAILABLE\b/;

export class LoadBalancingExporter implements Stage {
  #name: string;
  #keyOf: (span: Span) => string;
  #exporters = new Map<string, OtlpGrpcExporter>();
  #health: BackendHealth;
  #ring: HashRing;
  #sent: Count;
  #failed: Count;
  #reroutes: Count;
  #unregister: () => void;
  #closed = false;
  #inFlight = new Set<Promise<unknown>>();

  constructor(config: LoadBalancingExporterConfig, ctx: ComponentContext, name = 'loadbalancing') {
    const c = parseConfig(loadBalancingExporterConfig, config, name);
    this.#name = name;
    this.#keyOf = c.routing_key === 'service' ? serviceName : (s) => s.traceId;
    const hosts = c.resolver.static?.hostnames ?? [];
    const { endpoint: _none, ...otlp } = c.protocol.otlp;
    for (const h of hosts) {
      const inner = { metrics: backendMetrics(ctx, name, h), log: ctx.log };
      this.#exporters.set(
        h,
        new OtlpGrpcExporter({ ...otlp, endpoint: h }, inner, { name: `${name}[${h}]` }),
      );
    }
    const hc = c.health_check;
    this.#health = new BackendHealth(
      hosts,
      otlp.headers,
      {
        enabled: hc.enabled,
        intervalMs: durationMs(hc.interval),
        timeoutMs: durationMs(hc.timeout),
        unhealthyAfter: hc.unhealthy_after,
        healthyAfter: hc.healthy_after,
      },
      ctx,
      name,
      () => {
        this.#ring = new HashRing(this.#health.healthy());
      },
    );
    this.#ring = new HashRing(hosts);
    this.#sent = ctx.metrics.counter(
      'genba_exporter_spans_sent_total',
      'Spans exporters delivered, by exporter',
    );
    this.#failed = ctx.metrics.counter(
      'genba_exporter_spans_failed_total',
      'Spans exporters could not deliver, by exporter',
    );
    this.#reroutes = ctx.metrics.counter(
      'genba_loadbalancer_reroutes_total',
      'Spans a loadbalancing exporter sent to another backend because their own backend failed',
    );
    this.#unregister = registerHealthyGauge(ctx.metrics, () => this.#ring.size);
  }

  /** The backends in the ring now. */
  get healthyBackends(): readonly string[] {
    return this.#ring.members;
  }

  /** The backend that owns a trace id (or service name) now; undefined when none is healthy. */
  ownerOf(key: string): string | undefined {
    return this.#ring.owner(key);
  }

  async consume(spans: Span[]): Promise<void> {
    const label = { exporter: this.#name };
    if (this.#closed) {
      this.#failed(label, spans.length);
      throw new GenbaError('unavailable', `exporter ${this.#name} is shut down`, { retryAfter: 1 });
    }
    if (spans.length === 0) return;
    const parts = this.#split(spans, this.#ring);
    if (parts.size === 0) {
      this.#failed(label, spans.length);
      throw this.#noBackend();
    }
    const delivery = Promise.allSettled([...parts].map(([host, part]) => this.#sendPart(host, part)));
    this.#inFlight.add(delivery);
    let results: PromiseSettledResult<void>[];
    try {
      results = await delivery;
    } finally {
      this.#inFlight.delete(delivery);
    }
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length === 0) return;
    const first = failures[0].reason as unknown;
    const retryAfter = first instanceof GenbaError ? (first.retryAfter ?? 1) : 1;
    const code = first instanceof GenbaError ? first.code : 'unavailable';
    const why = first instanceof Error ? first.message : String(first);
    throw new GenbaError(
      code,
      `exporter ${this.#name}: ${failures.length} of ${parts.size} backends did not take their part of the batch: ${why}`,
      { cause: first, retryAfter },
    );
  }

  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    await this.#health.close();
    await Promise.all([...this.#exporters.values()].map((e) => e.shutdown()));
    this.#unregister();
  }

  /** Sends one backend's part; if that backend is down, sends it once to the part's new owners. */
  async #sendPart(host: string, part: Span[]): Promise<void> {
    try {
      await this.#deliver(host, part);
      return;
    } catch (err) {
      if (!(await this.#wentDown(host, err))) throw this.#count(err, part.length);
    }
    const ring = this.#ring.members.includes(host)
      ? new HashRing(this.#ring.members.filter((m) => m !== host))
      : this.#ring;
    const moved = this.#split(part, ring);
    if (moved.size === 0) throw this.#count(this.#noBackend(), part.length);
    this.#reroutes({ exporter: this.#name }, part.length);
    const results = await Promise.allSettled(
      [...moved].map(([h, p]) =>
        this.#deliver(h, p).catch(async (err: unknown) => {
          await this.#wentDown(h, err); // out of the ring for the next batch; this part is not moved twice
          throw err;
        }),
      ),
    );
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed < 0) return;
    const lost = [...moved.values()].reduce(
      (n, p, i) => n + (results[i].status === 'rejected' ? p.length : 0),
      0,
    );
    throw this.#count((results[failed] as PromiseRejectedResult).reason, lost);
  }

  /**
   * After a failed export: is the backend down (and now out of the ring)? Unreachable: yes, at
   * once. Anything else (a timeout, throttling): a check decides, so that a busy but live backend
   * keeps its traces and its refusal goes upstream instead.
   */
  async #wentDown(host: string, err: unknown): Promise<boolean> {
    if (!this.#health.enabled || this.#closed) return false;
    const why = err instanceof Error ? err.message : String(err);
    if (UNREACHABLE.test(why)) {
      this.#health.markDown(host, why);
      return true;
    }
    return !(await this.#health.confirm(host));
  }

  async #deliver(host: string, part: Span[]): Promise<void> {
    const exporter = this.#exporters.get(host);
    if (!exporter) throw new Error(`exporter ${this.#name}: no backend ${host}`);
    await exporter.consume(part);
    this.#sent({ exporter: this.#name }, part.length);
  }

  /** Counts spans that will not be delivered; returns the error to throw. */
  #count(err: unknown, spans: number): unknown {
    this.#failed({ exporter: this.#name }, spans);
    return err;
  }

  #noBackend(): GenbaError {
    return new GenbaError(
      'unavailable',
      `exporter ${this.#name}: no healthy backend (all ${this.#exporters.size} are out of the ring); retry later`,
      { retryAfter: 1 },
    );
  }

  /** Groups spans by the backend that owns their routing key on `ring`. */
  #split(spans: Span[], ring: HashRing): Map<string, Span[]> {
    const parts = new Map<string, Span[]>();
    if (ring.size === 0) return parts;
    const owners = new Map<string, string>();
    for (const s of spans) {
      const key = this.#keyOf(s);
      let owner = owners.get(key);
      if (owner === undefined) {
        owner = ring.owner(key) as string;
        owners.set(key, owner);
      }
      const part = parts.get(owner);
      if (part) part.push(s);
      else parts.set(owner, [s]);
    }
    return parts;
  }
}

export function createLoadBalancingExporter(
  config: LoadBalancingExporterConfig,
  ctx: ComponentContext,
  name = 'loadbalancing',
): LoadBalancingExporter {
  return new LoadBalancingExporter(config, ctx, name);
}

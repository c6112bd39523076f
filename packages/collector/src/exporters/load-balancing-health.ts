/**
 * Which backends of a `loadbalancing` exporter may own traces. Each backend is checked every
 * interval with an empty TraceService/Export (a valid request with no spans, which any OTLP
 * receiver answers without storing anything), on a channel of its own whose reconnect backoff
 * is capped at the interval, so a backend that comes back is seen within about one interval.
 */
import { decodeTraceResponse, TRACE_SERVICE_EXPORT_PATH } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
import type { ComponentContext } from '../component.ts';

export interface HealthSettings {
  enabled: boolean;
  intervalMs: number;
  timeoutMs: number;
  unhealthyAfter: number;
  healthyAfter: number;
}

/** Answers that mean "nothing is serving traces there"; any other answer means it is alive. */
const DOWN = new Set<number>([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.CANCELLED,
  grpc.status.ABORTED,
  grpc.status.UNIMPLEMENTED,
]);

const passBytes = (b: Buffer) => b;
const EMPTY_REQUEST = Buffer.alloc(0);

interface Check {
  ok: boolean;
  why: string;
}

class Probe {
  #client: grpc.Client;
  #metadata: grpc.Metadata;

  constructor(host: string, headers: Record<string, string>, intervalMs: number) {
    const cap = Math.max(100, Math.round(intervalMs));
    this.#client = new grpc.Client(host, grpc.credentials.createInsecure(), {
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': Math.min(cap, 1000),
      'grpc.max_reconnect_backoff_ms': cap,
      // Not shared with the exporter's channel: its longer backoff must not hide a recovery.
      'grpc.use_local_subchannel_pool': 1,
    });
    this.#metadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers)) this.#metadata.set(k.toLowerCase(), v);
  }

  check(timeoutMs: number): Promise<Check> {
    return new Promise((resolve) => {
      this.#client.makeUnaryRequest(
        TRACE_SERVICE_EXPORT_PATH,
        passBytes,
        decodeTraceResponse,
        EMPTY_REQUEST,
        this.#metadata.clone(),
        { deadline: Date.now() + timeoutMs },
        (err) => {
          if (!err || !DOWN.has(err.code)) resolve({ ok: true, why: '' });
          else
            resolve({ ok: false, why: `${grpc.status[err.code]}: ${(err.details || err.message).trim()}` });
        },
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}

interface State {
  healthy: boolean;
  fails: number;
  passes: number;
}

export class BackendHealth {
  #settings: HealthSettings;
  #log: ComponentContext['log'];
  #label: string;
  #onChange: () => void;
  #probes = new Map<string, Probe>();
  #state = new Map<string, State>();
  #checking = new Map<string, Promise<boolean>>();
  #timer?: NodeJS.Timeout;
  #closed = false;

  /** `onChange` runs whenever a backend leaves or rejoins the healthy set. */
  constructor(
    hosts: readonly string[],
    headers: Record<string, string>,
    settings: HealthSettings,
    ctx: ComponentContext,
    label: string,
    onChange: () => void,
  ) {
    this.#settings = settings;
    this.#log = ctx.log;
    this.#label = label;
    this.#onChange = onChange;
    for (const h of hosts) {
      this.#state.set(h, { healthy: true, fails: 0, passes: 0 });
      if (settings.enabled) this.#probes.set(h, new Probe(h, headers, settings.intervalMs));
    }
    if (settings.enabled) {
      this.#timer = setInterval(() => this.#round(), settings.intervalMs);
      this.#timer.unref();
    }
  }

  get enabled(): boolean {
    return this.#settings.enabled;
  }

  isHealthy(host: string): boolean {
    return this.#state.get(host)?.healthy ?? false;
  }

  healthy(): string[] {
    return [...this.#state].filter(([, s]) => s.healthy).map(([h]) => h);
  }

  /**
   * Checks `host` now, after one of its exports failed (joining a check under way). A failed
   * check takes it out of the ring at once, whatever `unhealthy_after` says: spans are waiting.
   * Resolves whether it is alive; with checks disabled it is always taken as alive.
   */
  async confirm(host: string): Promise<boolean> {
    if (!this.#settings.enabled) return true;
    const ok = await this.#check(host);
    if (!ok) this.markDown(host, 'its export failed and so did a check');
    return ok;
  }

  /** Takes `host` out of the ring (no-op when checks are disabled: nothing would bring it back). */
  markDown(host: string, why: string): void {
    const s = this.#state.get(host);
    if (!this.#settings.enabled || !s?.healthy || this.#closed) return;
    s.healthy = false;
    s.passes = 0;
    this.#log.warn(`exporter ${this.#label}: backend ${host} left the ring: ${why}`);
    this.#onChange();
  }

  close(): Promise<unknown> {
    this.#closed = true;
    clearInterval(this.#timer);
    const pending = Promise.allSettled([...this.#checking.values()]);
    return pending.finally(() => {
      for (const p of this.#probes.values()) p.close();
    });
  }

  #round(): void {
    for (const h of this.#state.keys()) void this.#check(h);
  }

  /** One check per backend at a time; its outcome updates the backend's state. */
  #check(host: string): Promise<boolean> {
    const under = this.#checking.get(host);
    if (under) return under;
    const probe = this.#probes.get(host);
    if (!probe || this.#closed) return Promise.resolve(this.isHealthy(host));
    const p = probe
      .check(this.#settings.timeoutMs)
      .then((c) => {
        this.#record(host, c);
        return c.ok;
      })
      .finally(() => this.#checking.delete(host));
    this.#checking.set(host, p);
    return p;
  }

  #record(host: string, c: Check): void {
    const s = this.#state.get(host);
    if (!s || this.#closed) return;
    if (c.ok) {
      s.fails = 0;
      s.passes++;
      if (!s.healthy && s.passes >= this.#settings.healthyAfter) {
        s.healthy = true;
        this.#log.info(`exporter ${this.#label}: backend ${host} is back in the ring`);
        this.#onChange();
      }
      return;
    }
    s.passes = 0;
    s.fails++;
    if (s.healthy && s.fails >= this.#settings.unhealthyAfter)
      this.markDown(host, `${s.fails} failed check${s.fails === 1 ? '' : 's'}, last: ${c.why}`);
  }
}

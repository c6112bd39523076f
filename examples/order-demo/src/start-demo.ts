/**
 * `startDemo`: five service processes (gateway → orders → payments / inventory / shipping),
 * each its own `service.name`, wired over HTTP on 127.0.0.1, and traffic into the gateway.
 */
import type { Peers, ServiceName } from './protocol.ts';
import { ENV, SERVICES } from './protocol.ts';
import { ServiceProcess } from './service-process.ts';
import type { SlowOption } from './slow.ts';
import { invalidSlow } from './slow.ts';
import type { DemoStats } from './stats.ts';
import { emptyStats } from './stats.ts';
import { TrafficDriver } from './traffic.ts';

export interface DemoOptions {
  /** OTLP/HTTP base URL the services export to, e.g. http://127.0.0.1:4318. */
  endpoint: string;
  /** Orders per second; default 5. */
  rate?: number;
  /** How long to send orders, in ms; 0 sends until `stop()`. Default 60 000. */
  duration?: number;
  /** Seed of the orders and their faults; the same seed replays the same run. Default 1. */
  seed?: number;
  /**
   * Slow one service down: `ms` more on every request it handles, waited inside its SERVER span,
   * on top of the seeded faults. Value-stream analysis then names it the bottleneck.
   */
  slow?: SlowOption;
  /** Progress lines and the services' own output (SDK warnings, crashes). Default: dropped. */
  log?: (line: string) => void;
}

export interface Demo {
  /** Live totals; `spansExported` and `spansDropped` are filled in by `stop()`. */
  readonly stats: DemoStats;
  /** Where the gateway listens. */
  readonly gatewayUrl: string;
  /** The five processes, for logs and for checking that none outlives `stop()`. */
  readonly services: readonly { name: ServiceName; url: string; pid: number | undefined }[];
  /** Settles when the traffic is over (duration reached or `stop()` called) and answered. */
  readonly finished: Promise<void>;
  /** Stops the traffic, then every service: each drains, flushes its spans and exits. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

function check(options: DemoOptions): { rate: number; duration: number; seed: number } {
  const { rate = 5, duration = 60_000, seed = 1 } = options;
  if (!URL.canParse(options.endpoint))
    throw new Error(`endpoint ${JSON.stringify(options.endpoint)} is not a URL`);
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new Error('rate must be a positive number of orders per second');
  if (!(duration >= 0)) throw new Error('duration must be 0 (until stopped) or a number of ms');
  if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
  const slowProblem = options.slow === undefined ? undefined : invalidSlow(options.slow);
  if (slowProblem !== undefined) throw new Error(slowProblem);
  return { rate, duration, seed };
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const { rate, duration, seed } = check(options);
  const log = options.log ?? (() => {});
  const env = { [ENV.endpoint]: options.endpoint, [ENV.seed]: String(seed) };
  const { slow } = options;
  const services = SERVICES.map(
    (name) =>
      new ServiceProcess(
        name,
        slow?.service === name ? { ...env, [ENV.addedDelayMs]: String(slow.ms) } : env,
        log,
      ),
  );
  // Last resort: whatever happens to this process, its children do not outlive it.
  const killAll = () => {
    for (const s of services) s.kill();
  };
  process.on('exit', killAll);

  let peers: Peers;
  try {
    const ports = await Promise.all(services.map((s) => s.ready(START_TIMEOUT_MS)));
    peers = Object.fromEntries(SERVICES.map((name, i) => [name, `http://127.0.0.1:${ports[i]}`])) as Peers;
    await Promise.all(services.map((s) => s.configure(peers, START_TIMEOUT_MS)));
  } catch (err) {
    killAll();
    await Promise.all(services.map((s) => s.exited));
    process.off('exit', killAll);
    throw err;
  }
  for (const s of services) log(`${s.name.padEnd(9)} ${peers[s.name]} (pid ${s.pid})`);

  const stats = emptyStats();
  const traffic = new TrafficDriver(peers.gateway, { rate, durationMs: duration, seed }, stats);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await traffic.stop();
      // Traffic is over, so every service can go at once; shipping drains its queue first.
      const exports = await Promise.all(services.map((s) => s.stop(STOP_TIMEOUT_MS)));
      for (const e of exports) {
        stats.spansExported += e?.exportedSpans ?? 0;
        stats.spansDropped += e?.droppedSpans ?? 0;
      }
      process.off('exit', killAll);
    })();
    return stopping;
  };
  return {
    stats,
    gatewayUrl: peers.gateway,
    services: services.map((s) => ({ name: s.name, url: peers[s.name], pid: s.pid })),
    finished: traffic.finished,
    stop,
  };
}

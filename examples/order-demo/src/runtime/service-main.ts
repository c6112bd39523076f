/**
 * The life of one service process: set up the SDK under its own `service.name`, listen, learn
 * the peers' addresses from the parent, and on `stop` drain, flush and exit so no span is lost.
 */
import { addAttributes, flush, getExportStats, init, shutdown } from '@genba/sdk';
import type { FromService, Peers, ServiceName, ToService } from '../protocol.ts';
import { ENV } from '../protocol.ts';
import { sleep } from '../random.ts';
import type { CallOptions } from './http-client.ts';
import { callService } from './http-client.ts';
import { HttpError } from './http-error.ts';
import type { Routes } from './http-server.ts';
import { listen } from './http-server.ts';

export interface ServiceContext {
  readonly name: ServiceName;
  readonly seed: number;
  /** A JSON call to another service of the demo (a CLIENT span). */
  call<T>(peer: ServiceName, method: string, path: string, body?: unknown, options?: CallOptions): Promise<T>;
}

export interface ServiceDefinition {
  routes: Routes;
  /** Finishes background work (e.g. a queue) once no more requests arrive. */
  drain?: () => Promise<void>;
}

/**
 * The `slow` option: each handler first waits `ms` inside its SERVER span (the span is active
 * here), so the time is this service's own processing, marked on the span.
 */
function withAddedDelay(routes: Routes, ms: number): Routes {
  if (!(ms > 0)) return routes;
  const slowed: Routes = {};
  for (const [route, handler] of Object.entries(routes))
    slowed[route] = async (request) => {
      addAttributes({ 'demo.added_delay_ms': ms });
      await sleep(ms);
      return handler(request);
    };
  return slowed;
}

function tell(message: FromService): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

export async function runService(
  name: ServiceName,
  define: (ctx: ServiceContext) => ServiceDefinition,
): Promise<void> {
  if (process.send === undefined) throw new Error(`${name}: start me through startDemo (no IPC channel)`);
  init({
    serviceName: name,
    endpoint: process.env[ENV.endpoint],
    exporter: 'otlp',
    resource: { 'service.namespace': 'order-demo', 'service.version': '1.0.0' },
    // Short delay: a demo should show up in the UI within a second or so.
    batch: { scheduledDelayMillis: 500 },
    logLevel: 'warn',
  });

  let peers: Peers | undefined;
  const ctx: ServiceContext = {
    name,
    seed: Number(process.env[ENV.seed] ?? 1),
    call(peer, method, path, body, options) {
      if (peers === undefined) throw new HttpError(503, 'not-configured', 'peers not known yet');
      return callService(peer, peers[peer], method, path, body, options);
    },
  };
  const definition = define(ctx);
  const server = await listen(withAddedDelay(definition.routes, Number(process.env[ENV.addedDelayMs] ?? 0)));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await server.close();
      await definition.drain?.();
      await flush();
      const stats = getExportStats();
      await shutdown();
      await tell({ type: 'stopped', export: stats });
      process.exit(0);
    })().catch((err: unknown) => {
      console.error(`${name}: stopping failed:`, err);
      process.exit(1);
    });
    return stopping;
  };

  process.on('message', (message: ToService) => {
    if (message.type === 'peers') {
      peers = message.peers;
      void tell({ type: 'configured' });
    } else if (message.type === 'stop') void stop();
  });
  // The parent is gone (killed, crashed): flush and leave rather than linger as an orphan.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Ctrl-C reaches the whole process group; the parent decides the order of shutdown.
  process.on('SIGINT', () => {});

  await tell({ type: 'ready', port: server.port });
}

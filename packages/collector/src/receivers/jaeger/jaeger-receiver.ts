/**
 * The `jaeger` receiver, keyed like the Collector's: `thrift_http` (14268, Jaeger's collector
 * endpoint), `thrift_compact` (6831/udp) and `thrift_binary` (6832/udp, the agent's ports).
 * Only the protocols present in the config are opened.
 */
import type { ComponentContext, ListeningReceiver } from '../../component.ts';
import { listeningUrl, parseEndpoint } from '../../config/endpoint.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import type { JaegerReceiverConfig, JaegerUdpConfig } from './jaeger-config.ts';
import { createJaegerHttpApp } from './jaeger-http.ts';
import { startJaegerUdp } from './jaeger-udp.ts';

export { JAEGER_DEFAULT_PORTS, type JaegerReceiverConfig, jaegerReceiverConfig } from './jaeger-config.ts';

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface JaegerReceiverOptions {
  /** Bound on an HTTP body after decompression (16 MiB unless the config or context says otherwise). */
  maxBodyBytes?: number;
}

/** `config` is the output of `jaegerReceiverConfig` (defaults filled in). */
export async function createJaegerReceiver(
  config: JaegerReceiverConfig,
  consumer: SpanConsumer,
  ctx: ComponentContext & { maxBodyBytes?: number },
  options: JaegerReceiverOptions = {},
): Promise<ListeningReceiver> {
  const maxBodyBytes =
    options.maxBodyBytes ?? config.max_body_bytes ?? ctx.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const endpoints: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  const shutdown = async () => {
    await Promise.all(closers.map((c) => c()));
  };
  const udp = async (name: 'thrift_compact' | 'thrift_binary', c: JaegerUdpConfig) => {
    const server = await startJaegerUdp(
      {
        protocol: name === 'thrift_compact' ? 'compact' : 'binary',
        at: parseEndpoint(c.endpoint, `receivers.jaeger.protocols.${name}.endpoint`),
        queueSize: c.queue_size,
        maxPacketSize: c.max_packet_size,
        socketBufferSize: c.socket_buffer_size,
      },
      consumer,
      ctx,
    );
    closers.push(() => server.close());
    endpoints[name] = server.endpoint;
  };
  try {
    const { thrift_http, thrift_compact, thrift_binary } = config.protocols;
    if (thrift_http) {
      const at = parseEndpoint(thrift_http.endpoint, 'receivers.jaeger.protocols.thrift_http.endpoint');
      const app = createJaegerHttpApp({ consumer, ctx, maxBodyBytes });
      closers.push(() => app.close());
      await app.listen({ host: at.host, port: at.port });
      endpoints.thrift_http = listeningUrl(app.server);
    }
    if (thrift_compact) await udp('thrift_compact', thrift_compact);
    if (thrift_binary) await udp('thrift_binary', thrift_binary);
  } catch (err) {
    await shutdown();
    throw err;
  }
  return { endpoints, shutdown };
}

/**
 * The Jaeger agent's UDP ports: each datagram is one `Agent.emitBatch` message, compact
 * protocol on 6831 and binary on 6832. UDP has no answer, so nothing here can push back:
 * bad, refused and dropped datagrams are counted and (rate-limited) logged, never thrown.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Span } from '@genba/model';
import type { ComponentContext } from '../../component.ts';
import { type Endpoint, formatEndpoint } from '../../config/endpoint.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { partitionValid } from '../../valid-spans.ts';
import { decodeEmitBatch, type ThriftProtocol } from './jaeger-thrift-decoder.ts';
import { jaegerBatchToSpans } from './jaeger-to-spans.ts';
import { WarnLimiter } from './warn-limiter.ts';

export interface JaegerUdpOptions {
  protocol: ThriftProtocol;
  at: Endpoint;
  queueSize: number;
  maxPacketSize: number;
  socketBufferSize?: number;
}

export interface JaegerUdpServer {
  /** `host:port` actually bound. */
  readonly endpoint: string;
  /** Stops reading, then waits for the datagrams already handed to the pipeline. */
  close(): Promise<void>;
}

export async function startJaegerUdp(
  opts: JaegerUdpOptions,
  consumer: SpanConsumer,
  ctx: ComponentContext,
): Promise<JaegerUdpServer> {
  const receiver = `jaeger_thrift_${opts.protocol}`;
  const spansTotal = ctx.metrics.counter(
    'genba_receiver_spans_total',
    'Spans received, by receiver and outcome',
  );
  const packets = ctx.metrics.counter(
    'genba_receiver_packets_total',
    'UDP datagrams received, by receiver and outcome',
  );
  const limiter = new WarnLimiter((m) => ctx.log.warn(m));
  const pending = new Set<Promise<void>>();

  const handle = (msg: Buffer): void => {
    if (msg.length > opts.maxPacketSize) {
      packets({ receiver, outcome: 'malformed' });
      limiter.warn(
        `${receiver}: dropped a ${msg.length}-byte datagram, over max_packet_size ${opts.maxPacketSize}`,
      );
      return;
    }
    let spans: Span[];
    try {
      spans = jaegerBatchToSpans(decodeEmitBatch(msg, opts.protocol));
    } catch (err) {
      packets({ receiver, outcome: 'malformed' });
      spansTotal({ receiver, outcome: 'malformed' });
      limiter.warn(`${receiver}: dropped a malformed datagram: ${(err as Error).message}`);
      return;
    }
    const { valid, rejected, reason } = partitionValid(spans);
    if (rejected) {
      spansTotal({ receiver, outcome: 'rejected' }, rejected);
      limiter.warn(`${receiver}: dropped ${rejected} spans: ${reason}`);
    }
    if (valid.length === 0) {
      packets({ receiver, outcome: rejected ? 'rejected' : 'accepted' });
      return;
    }
    if (pending.size >= opts.queueSize) {
      // Decoded anyway, so that the dropped spans are counted, not just the datagram.
      packets({ receiver, outcome: 'dropped' });
      spansTotal({ receiver, outcome: 'refused' }, valid.length);
      limiter.warn(`${receiver}: ${opts.queueSize} datagrams already queued; dropped ${valid.length} spans`);
      return;
    }
    const done = consumeSafely(consumer, valid).then(
      () => {
        packets({ receiver, outcome: 'accepted' });
        spansTotal({ receiver, outcome: 'accepted' }, valid.length);
      },
      (err: unknown) => {
        packets({ receiver, outcome: 'refused' });
        spansTotal({ receiver, outcome: 'refused' }, valid.length);
        limiter.warn(`${receiver}: the pipeline refused ${valid.length} spans: ${(err as Error)?.message}`);
      },
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  const socket = createSocket({ type: isIPv6(opts.at.host) ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.at.port, opts.at.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // After bind, a socket error (rare for UDP reads) is logged; it must not crash the process.
  socket.on('error', (err) => limiter.warn(`${receiver}: socket error: ${err.message}`));
  socket.on('message', handle);
  if (opts.socketBufferSize) {
    try {
      socket.setRecvBufferSize(opts.socketBufferSize);
    } catch (err) {
      ctx.log.warn(`${receiver}: cannot set socket_buffer_size: ${(err as Error).message}`);
    }
  }
  const addr = socket.address();
  const endpoint = formatEndpoint({ host: addr.address, port: addr.port });

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      await new Promise<void>((resolve) => closeSocket(socket, resolve));
      await Promise.allSettled([...pending]);
    })();
    return closed;
  };
  return { endpoint, close };
}

/** A consumer that throws instead of rejecting still ends in a rejected promise. */
function consumeSafely(consumer: SpanConsumer, spans: Span[]): Promise<void> {
  try {
    return consumer.consume(spans);
  } catch (err) {
    return Promise.reject(err);
  }
}

function closeSocket(socket: Socket, done: () => void): void {
  try {
    socket.close(done);
  } catch {
    done(); // already closed
  }
}

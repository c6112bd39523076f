/**
 * The `otlp` receiver, keyed like the Collector's: `protocols.grpc` (4317) and
 * `protocols.http` (4318). Only the protocols present are opened.
 */
import Fastify from 'fastify';
import { z } from 'zod';
import type { ComponentContext, ListeningReceiver } from '../component.ts';
import { listeningUrl, parseEndpoint } from '../config/endpoint.ts';
import { registerOtlpHttp } from '../otlp-http-receiver.ts';
import type { SpanConsumer } from '../span-consumer.ts';
import { startOtlpGrpcReceiver } from './otlp-grpc-receiver.ts';

export const otlpReceiverConfig = z
  .object({
    protocols: z
      .object({
        grpc: z
          .object({
            endpoint: z.string().default('127.0.0.1:4317'),
            max_recv_msg_size_mib: z.number().positive().optional(),
          })
          .strict()
          .optional(),
        http: z
          .object({ endpoint: z.string().default('127.0.0.1:4318') })
          .strict()
          .optional(),
      })
      .strict()
      .refine((p) => p.grpc || p.http, 'name at least one of grpc and http'),
  })
  .strict();

export type OtlpReceiverConfig = z.output<typeof otlpReceiverConfig>;

export async function createOtlpReceiver(
  config: OtlpReceiverConfig,
  consumer: SpanConsumer,
  ctx: ComponentContext & { maxBodyBytes: number },
): Promise<ListeningReceiver> {
  const endpoints: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  const shutdown = async () => {
    await Promise.all(closers.map((c) => c()));
  };
  try {
    const { http, grpc } = config.protocols;
    if (http) {
      const at = parseEndpoint(http.endpoint, 'receivers.otlp.protocols.http.endpoint');
      const app = Fastify({ logger: false, bodyLimit: ctx.maxBodyBytes });
      closers.push(() => app.close());
      registerOtlpHttp(app, { consumer, metrics: ctx.metrics, maxBodyBytes: ctx.maxBodyBytes });
      await app.listen({ host: at.host, port: at.port });
      endpoints.http = listeningUrl(app.server);
    }
    if (grpc) {
      const r = await startOtlpGrpcReceiver(
        {
          endpoint: grpc.endpoint,
          maxRecvMsgSizeMib: grpc.max_recv_msg_size_mib ?? ctx.maxBodyBytes / 1024 / 1024,
        },
        consumer,
        ctx,
      );
      closers.push(() => r.shutdown());
      endpoints.grpc = r.endpoints.grpc;
    }
  } catch (err) {
    await shutdown();
    throw err;
  }
  return { endpoints, shutdown };
}

/**
 * The `zipkin` receiver, configured like the Collector's: `endpoint` (default 127.0.0.1:9411;
 * port 0 picks a free one) and `parse_string_tags`. It runs its own Fastify instance.
 */
import { GenbaError } from '@genba/model';
import Fastify from 'fastify';
import { z } from 'zod';
import type { ComponentContext, ListeningReceiver } from '../../component.ts';
import { listeningUrl, parseEndpoint } from '../../config/endpoint.ts';
import type { SpanConsumer } from '../../span-consumer.ts';
import { registerZipkinRoutes } from './zipkin-routes.ts';

export const zipkinReceiverConfig = z
  .object({
    endpoint: z.string().default('127.0.0.1:9411'),
    parse_string_tags: z.boolean().default(false),
  })
  .strict();

export type ZipkinReceiverConfig = z.input<typeof zipkinReceiverConfig>;

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function createZipkinReceiver(
  config: ZipkinReceiverConfig,
  consumer: SpanConsumer,
  ctx: ComponentContext & { maxBodyBytes?: number },
): Promise<ListeningReceiver> {
  const parsed = zipkinReceiverConfig.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new GenbaError('bad_request', `receivers.zipkin: ${problems.join('; ')}`);
  }
  const at = parseEndpoint(parsed.data.endpoint, 'receivers.zipkin.endpoint');
  const maxBodyBytes = ctx.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = Fastify({ logger: false, bodyLimit: maxBodyBytes });
  registerZipkinRoutes(app, {
    consumer,
    metrics: ctx.metrics,
    maxBodyBytes,
    parseStringTags: parsed.data.parse_string_tags,
    log: ctx.log,
  });
  try {
    await app.listen({ host: at.host, port: at.port });
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    endpoints: { http: listeningUrl(app.server) },
    shutdown: () => app.close(),
  };
}

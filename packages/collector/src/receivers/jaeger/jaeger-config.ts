/**
 * The `jaeger` receiver's config, keyed like the OTel Collector's: one entry per protocol under
 * `protocols`, and only the protocols present are opened. YAML's `thrift_http:` with nothing
 * after it is null and means "on, with the defaults".
 */
import { z } from 'zod';
import { parseEndpoint } from '../../config/endpoint.ts';

/** The ports Jaeger's collector and agent listen on. */
export const JAEGER_DEFAULT_PORTS = {
  thrift_http: 14268,
  thrift_compact: 6831,
  thrift_binary: 6832,
} as const;

/** jaeger-client and the Jaeger agent both cap a datagram at 65000 bytes. */
export const DEFAULT_MAX_PACKET_SIZE = 65_000;
export const DEFAULT_QUEUE_SIZE = 1000;

function endpoint(port: number) {
  return z
    .string()
    .default(`127.0.0.1:${port}`)
    .refine(
      (text) => {
        try {
          parseEndpoint(text, 'endpoint');
          return true;
        } catch {
          return false;
        }
      },
      { message: 'expected host:port such as 127.0.0.1:14268 (port 0 picks a free port)' },
    );
}

/** null (an empty YAML key) → {}, so that the defaults apply. */
function present<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? {} : v), schema.optional());
}

function udp(port: number) {
  return z
    .object({
      endpoint: endpoint(port),
      /** Datagrams being decoded or awaiting the pipeline; past this, new ones are dropped and counted. */
      queue_size: z.number().int().positive().default(DEFAULT_QUEUE_SIZE),
      /** Larger datagrams are counted as malformed. */
      max_packet_size: z.number().int().positive().max(65_535).default(DEFAULT_MAX_PACKET_SIZE),
      /** Accepted for compatibility with Collector configs; Node decodes on its one thread. */
      workers: z.number().int().positive().optional(),
      socket_buffer_size: z.number().int().positive().optional(),
    })
    .strict();
}

export const jaegerReceiverConfig = z
  .object({
    protocols: z
      .object({
        thrift_http: present(z.object({ endpoint: endpoint(JAEGER_DEFAULT_PORTS.thrift_http) }).strict()),
        thrift_compact: present(udp(JAEGER_DEFAULT_PORTS.thrift_compact)),
        thrift_binary: present(udp(JAEGER_DEFAULT_PORTS.thrift_binary)),
      })
      .strict()
      .refine(
        (p) => p.thrift_http || p.thrift_compact || p.thrift_binary,
        'name at least one of thrift_http, thrift_compact and thrift_binary',
      ),
    /** Bound on an HTTP body after decompression; the receiver's context or options may set it instead. */
    max_body_bytes: z.number().int().positive().optional(),
  })
  .strict();

export type JaegerReceiverConfig = z.output<typeof jaegerReceiverConfig>;
export type JaegerUdpConfig = z.output<ReturnType<typeof udp>>;

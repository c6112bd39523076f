/**
 * The `loadbalancing` exporter's config, keyed as the OTel Collector keys it (`routing_key`,
 * `protocol.otlp`, `resolver.static.hostnames`), plus Genba's `health_check`. Only the static
 * resolver exists here; the Collector's dns, k8s and aws_cloud_map resolvers are refused by name.
 */
import { parseDuration } from '@genba/model';
import { z } from 'zod';
import { durationString } from '../config/duration.ts';
import { retryOnFailureConfig, sendingQueueConfig } from './export-settings.ts';
import { otlpExporterConfig } from './otlp-grpc-exporter.ts';

/** The Collector's static resolver adds the OTLP/gRPC port to a hostname given without one. */
const DEFAULT_PORT = 4317;

function withPort(host: string): string {
  const h = host
    .trim()
    .replace(/^http:\/\//, '')
    .replace(/\/$/, '');
  // A bare IPv6 address (two or more colons, no brackets) has no port to find.
  if (/^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/.test(h) && h.split(':').length > 2) return `[${h}]:${DEFAULT_PORT}`;
  return /:\d+$/.test(h) ? h : `${h}:${DEFAULT_PORT}`;
}

/** One backend: host:port, normalised as the otlp exporter's `endpoint` is. */
const hostname = z.string().min(1).max(300).transform(withPort).pipe(otlpExporterConfig.shape.endpoint);

const OTHER_RESOLVERS = ['dns', 'k8s', 'aws_cloud_map'] as const;

const resolverConfig = z
  .strictObject({
    static: z
      .strictObject({
        hostnames: z
          .array(hostname)
          .min(1, 'list at least one backend, such as 127.0.0.1:4317')
          .max(256, 'at most 256 backends')
          .superRefine((hosts, ctx) => {
            const seen = new Set<string>();
            hosts.forEach((h, i) => {
              if (seen.has(h)) ctx.addIssue({ code: 'custom', path: [i], message: `${h} is listed twice` });
              seen.add(h);
            });
          }),
      })
      .optional(),
    ...Object.fromEntries(OTHER_RESOLVERS.map((r) => [r, z.unknown().optional()])),
  })
  .superRefine((r, ctx) => {
    for (const other of OTHER_RESOLVERS)
      if ((r as Record<string, unknown>)[other] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [other],
          message: `the ${other} resolver is not supported; only static is (resolver.static.hostnames)`,
        });
    if (
      r.static === undefined &&
      OTHER_RESOLVERS.every((o) => (r as Record<string, unknown>)[o] === undefined)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['static'],
        message: 'required: list the backends in resolver.static.hostnames',
      });
  });

/**
 * The otlp exporter's settings for every backend, without `endpoint`. Retries are off unless
 * set: a down backend's traces then move to the next backend at once instead of waiting out
 * max_elapsed_time. The sending queue is refused: it would acknowledge spans before any backend
 * took them, so a failed backend's spans could neither move nor be refused upstream.
 */
const otlpProtocolConfig = otlpExporterConfig.omit({ endpoint: true }).extend({
  endpoint: z
    .never({ message: 'not allowed here: the backends come from resolver.static.hostnames' })
    .optional(),
  retry_on_failure: retryOnFailureConfig.prefault({ enabled: false }),
  sending_queue: sendingQueueConfig.prefault({}).refine((q) => !q.enabled, {
    message:
      'not supported by loadbalancing: queued spans are acknowledged before a backend took them, so they could not move to another backend',
  }),
});

/** zod runs every refinement, so this one leaves unparsable durations to durationString's message. */
function atLeastMs(text: string, ms: number): boolean {
  const ns = parseDuration(text);
  return ns === undefined || ns >= BigInt(ms) * 1_000_000n;
}

const healthCheckConfig = z.strictObject({
  enabled: z.boolean().default(true),
  /** How often every backend is checked with an empty TraceService/Export. */
  interval: durationString
    .refine((d) => atLeastMs(d, 10), { message: 'must be at least 10ms' })
    .default('2s'),
  /** How long one check may take. */
  timeout: durationString.refine((d) => atLeastMs(d, 1), { message: 'must be at least 1ms' }).default('1s'),
  /** Consecutive failed checks before a backend leaves the ring (a failed export counts at once). */
  unhealthy_after: z.number().int().min(1).max(100).default(1),
  /** Consecutive passed checks before it comes back. */
  healthy_after: z.number().int().min(1).max(100).default(1),
});

export const loadBalancingExporterConfig = z.strictObject({
  routing_key: z
    .enum(['traceID', 'service'], {
      message: 'expected traceID or service (the only routing keys for traces here)',
    })
    .default('traceID'),
  protocol: z.strictObject({ otlp: otlpProtocolConfig.prefault({}) }).prefault({}),
  resolver: resolverConfig,
  health_check: healthCheckConfig.prefault({}),
});

export type LoadBalancingExporterConfig = z.input<typeof loadBalancingExporterConfig>;

/**
 * The settings every OTLP exporter shares, named and defaulted as the OTel Collector's
 * exporterhelper names them (`timeout`, `retry_on_failure`, `sending_queue`), with one Genba
 * difference: the sending queue is off by default, so `consume` resolves only once the backend
 * acknowledged and a receiver upstream answers success only for spans that arrived.
 */
import { GenbaError } from '@genba/model';
import { z } from 'zod';
import { durationMs, durationString } from '../config/duration.ts';
import type { ExportStageSettings } from './export-stage.ts';

export const retryOnFailureConfig = z.strictObject({
  enabled: z.boolean().default(true),
  initial_interval: durationString.default('5s'),
  max_interval: durationString.default('30s'),
  /** 0 means retry until shutdown. */
  max_elapsed_time: durationString.default('300s'),
  multiplier: z.number().min(1).default(1.5),
  randomization_factor: z.number().min(0).max(1).default(0.5),
});

export const sendingQueueConfig = z.strictObject({
  enabled: z.boolean().default(false),
  /** Batches (consume calls) held, not spans. */
  queue_size: z.number().int().min(1).default(1000),
  num_consumers: z.number().int().min(1).max(1000).default(10),
});

export const compressionConfig = z.enum(['gzip', 'none']).default('gzip');

// RFC 9110 token characters: anything else would make the request itself invalid.
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'invalid header name');
export const headersConfig = z.record(headerName, z.string()).default({});

export interface ExporterOptions {
  /** The component's name in the config (`otlp`, `otlp/backup`): the `exporter` metrics label. */
  name?: string;
}

export interface RetrySettings {
  enabled: boolean;
  initialMs: number;
  maxIntervalMs: number;
  /** 0: no limit (retry until shutdown). */
  maxElapsedMs: number;
  multiplier: number;
  randomization: number;
}

export interface QueueSettings {
  enabled: boolean;
  size: number;
  consumers: number;
}

export function retrySettings(c: z.output<typeof retryOnFailureConfig>): RetrySettings {
  return {
    enabled: c.enabled,
    initialMs: durationMs(c.initial_interval),
    maxIntervalMs: durationMs(c.max_interval),
    maxElapsedMs: durationMs(c.max_elapsed_time),
    multiplier: c.multiplier,
    randomization: c.randomization_factor,
  };
}

export function queueSettings(c: z.output<typeof sendingQueueConfig>): QueueSettings {
  return { enabled: c.enabled, size: c.queue_size, consumers: c.num_consumers };
}

/** The keys every OTLP exporter config has, read into an ExportStage's settings. */
export function stageSettings(
  name: string,
  c: {
    timeout: string;
    retry_on_failure: z.output<typeof retryOnFailureConfig>;
    sending_queue: z.output<typeof sendingQueueConfig>;
  },
): ExportStageSettings {
  return {
    name,
    timeoutMs: durationMs(c.timeout),
    retry: retrySettings(c.retry_on_failure),
    queue: queueSettings(c.sending_queue),
  };
}

/** Parses a config, turning zod's issues into one GenbaError that names each bad field. */
export function parseConfig<S extends z.ZodType>(schema: S, config: unknown, component: string): z.output<S> {
  const r = schema.safeParse(config);
  if (r.success) return r.data;
  const problems = r.error.issues.map(
    (i) => `${i.path.length ? i.path.join('.') : '(config)'}: ${i.message}`,
  );
  throw new GenbaError('bad_request', `exporters.${component}: ${problems.join('; ')}`);
}

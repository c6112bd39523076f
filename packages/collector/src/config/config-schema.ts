/**
 * The config file's shape: the OTel Collector's `receivers`, `processors`, `exporters` and
 * `service.pipelines.traces`, plus a `genba:` section for what is Genba's own (the store, the
 * query port, the role). Component bodies are validated by each component's own schema.
 */
import { z } from 'zod';

const componentMap = z.record(
  z.string(),
  z.unknown().transform((v) => v ?? {}),
);

const pipeline = z
  .object({
    receivers: z.array(z.string()).min(1, 'a pipeline needs at least one receiver'),
    processors: z.array(z.string()).default([]),
    exporters: z.array(z.string()).min(1, 'a pipeline needs at least one exporter'),
  })
  .strict();

export const genbaSection = z
  .object({
    /** Host every default endpoint binds to. */
    listen: z.string().default('127.0.0.1'),
    /** `all` stores and serves; `router` only routes spans to backends (no store). */
    role: z.enum(['all', 'router']).default('all'),
    storage: z.string().default('embedded'),
    data_dir: z.string().default('./genba-data'),
    /** Like `7d` or `36h`; `0` keeps spans for ever. */
    retention: z.string().default('7d'),
    max_body_bytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
    query: z.object({ endpoint: z.string().optional() }).strict().default({}),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('warn'),
  })
  .strict();

export const configSchema = z
  .object({
    receivers: componentMap.optional(),
    processors: componentMap.optional(),
    exporters: componentMap.optional(),
    extensions: z.unknown().optional(),
    connectors: z.unknown().optional(),
    service: z
      .object({
        pipelines: z.record(z.string(), pipeline),
        extensions: z.unknown().optional(),
        telemetry: z.unknown().optional(),
      })
      .strict()
      .optional(),
    genba: genbaSection.default(genbaSection.parse({})),
    /** Value-stream rules; checked by @genba/analysis's own parser, which the SDK shares. */
    analysis: z.unknown().optional(),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type GenbaSection = z.output<typeof genbaSection>;
export type PipelineConfig = z.output<typeof pipeline>;

/** The default when no file (or a file with only a `genba:` section) is given: every receiver into the store. */
export const DEFAULT_PIPELINES = {
  receivers: {
    otlp: { protocols: { grpc: {}, http: {} } },
    zipkin: {},
    jaeger: { protocols: { thrift_http: {}, thrift_compact: {}, thrift_binary: {} } },
  },
  processors: { memory_limiter: { limit_percentage: 80, spike_limit_percentage: 20 } },
  exporters: { store: {} },
  service: {
    pipelines: {
      traces: {
        receivers: ['otlp', 'zipkin', 'jaeger'],
        processors: ['memory_limiter'],
        exporters: ['store'],
      },
    },
  },
};

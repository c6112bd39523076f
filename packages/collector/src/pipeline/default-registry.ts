/** Every component type Genba knows, by the OTel Collector's type names. */
import { createDebugExporter, debugExporterConfig } from '../exporters/debug-exporter.ts';
import {
  createLoadBalancingExporter,
  loadBalancingExporterConfig,
} from '../exporters/load-balancing-exporter.ts';
import { createOtlpExporter, otlpExporterConfig } from '../exporters/otlp-grpc-exporter.ts';
import { createOtlphttpExporter, otlphttpExporterConfig } from '../exporters/otlphttp-exporter.ts';
import { createStoreExporter, storeExporterConfig } from '../exporters/store-exporter.ts';
import { attributesProcessorConfig, createAttributesProcessor } from '../processors/attributes-processor.ts';
import { batchProcessorConfig, createBatchProcessor } from '../processors/batch-processor.ts';
import { createFilterProcessor, filterProcessorConfig } from '../processors/filter-processor.ts';
import { createMemoryLimiter, memoryLimiterConfig } from '../processors/memory-limiter.ts';
import {
  adaptiveSamplerConfig,
  createAdaptiveSampler,
  createProbabilisticSampler,
  createRateLimiting,
  createTailSampling,
  probabilisticSamplerConfig,
  rateLimitingConfig,
  tailSamplingConfig,
} from '../processors/sampling/index.ts';
import { jaegerReceiverConfig } from '../receivers/jaeger/jaeger-config.ts';
import { createJaegerReceiver } from '../receivers/jaeger/jaeger-receiver.ts';
import { createOtlpReceiver, otlpReceiverConfig } from '../receivers/otlp-receiver.ts';
import { createZipkinReceiver, zipkinReceiverConfig } from '../receivers/zipkin/zipkin-receiver.ts';
import { type ComponentRegistry, withEndpoints } from './component-registry.ts';

export const defaultRegistry: ComponentRegistry = {
  receivers: {
    otlp: {
      schema: otlpReceiverConfig,
      defaults: (c, listen, anyPort) =>
        withEndpoints(c, { 'protocols.grpc': 4317, 'protocols.http': 4318 }, listen, anyPort),
      create: createOtlpReceiver,
    },
    zipkin: {
      schema: zipkinReceiverConfig,
      defaults: (c, listen, anyPort) => withEndpoints(c, { '': 9411 }, listen, anyPort),
      create: createZipkinReceiver,
    },
    jaeger: {
      schema: jaegerReceiverConfig,
      defaults: (c, listen, anyPort) =>
        withEndpoints(
          c,
          {
            'protocols.thrift_http': 14268,
            'protocols.thrift_compact': 6831,
            'protocols.thrift_binary': 6832,
          },
          listen,
          anyPort,
        ),
      create: (c, consumer, ctx) => createJaegerReceiver(c, consumer, ctx),
    },
  },
  processors: {
    memory_limiter: { schema: memoryLimiterConfig, create: createMemoryLimiter },
    batch: { schema: batchProcessorConfig, create: createBatchProcessor },
    attributes: { schema: attributesProcessorConfig, create: createAttributesProcessor },
    filter: { schema: filterProcessorConfig, create: createFilterProcessor },
    probabilistic_sampler: { schema: probabilisticSamplerConfig, create: createProbabilisticSampler },
    rate_limiting: { schema: rateLimitingConfig, create: createRateLimiting },
    tail_sampling: { schema: tailSamplingConfig, create: createTailSampling },
    adaptive_sampler: { schema: adaptiveSamplerConfig, create: createAdaptiveSampler },
  },
  exporters: {
    store: {
      schema: storeExporterConfig,
      create: (_c, ctx, name) => {
        if (!ctx.store) throw new Error('the store exporter needs a store; a router has none');
        return createStoreExporter(ctx.store, ctx, name);
      },
    },
    otlp: { schema: otlpExporterConfig, create: (c, ctx, name) => createOtlpExporter(c, ctx, { name }) },
    otlphttp: {
      schema: otlphttpExporterConfig,
      create: (c, ctx, name) => createOtlphttpExporter(c, ctx, { name }),
    },
    debug: { schema: debugExporterConfig, create: createDebugExporter },
    loadbalancing: { schema: loadBalancingExporterConfig, create: createLoadBalancingExporter },
  },
};

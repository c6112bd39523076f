/**
 * `init()`: one call that builds a TracerProvider from options and the environment, registers
 * it globally, and returns it. Options win over environment variables; the OTEL_* variables
 * win over the seeds' TRACING_* aliases.
 */
import type { Attributes } from '@genba/model';
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { setCurrentAnalyzer } from '../analyzer/current-analyzer.ts';
import type { LocalAnalyzerOptions } from '../analyzer/local-analyzer.ts';
import { LocalAnalyzer } from '../analyzer/local-analyzer.ts';
import { reportOnce } from '../diag.ts';
import type { BatchSpanProcessorOptions } from '../export/batch-span-processor.ts';
import { BatchSpanProcessor } from '../export/batch-span-processor.ts';
import { ConsoleSpanExporter } from '../export/console-exporter.ts';
import { withDefaultTracesPath } from '../export/otlp-config.ts';
import { OtlpGrpcExporter } from '../export/otlp-grpc-exporter.ts';
import { OtlpHttpExporter } from '../export/otlp-http-exporter.ts';
import { AlwaysOffSampler } from '../sampling/always.ts';
import { samplerFromEnv } from '../sampling/from-env.ts';
import { ParentBasedSampler } from '../sampling/parent-based.ts';
import { TraceIdRatioBasedSampler } from '../sampling/trace-id-ratio.ts';
import type { SpanLimits } from '../trace/span-limits.ts';
import { TracerProvider } from '../trace/tracer-provider.ts';
import type { Sampler, SpanExporter, SpanProcessor } from '../types.ts';
import { ActiveTraceTracker } from './active-traces.ts';
import { getState, setState } from './state.ts';

export type ExporterChoice = 'otlp' | 'otlp-json' | 'otlp-grpc' | 'console' | 'none' | SpanExporter;

export interface InitOptions {
  /** `service.name`; else OTEL_SERVICE_NAME, TRACING_SERVICE_NAME, `unknown_service:node`. */
  serviceName?: string;
  /** More resource attributes (merged over OTEL_RESOURCE_ATTRIBUTES). */
  resource?: Attributes;
  /** OTLP endpoint, e.g. http://localhost:4318 (the /v1/traces path is added when missing). */
  endpoint?: string;
  /** Default 'otlp' (OTLP/HTTP protobuf, gzip). */
  exporter?: ExporterChoice;
  /** Fraction of new traces kept (parent-based); else OTEL_TRACES_SAMPLER or TRACING_SAMPLE_RATE. */
  sampleRate?: number;
  sampler?: Sampler;
  /** false turns tracing off (spans become non-recording); else TRACING_ENABLED. */
  enabled?: boolean;
  batch?: BatchSpanProcessorOptions;
  spanLimits?: Partial<SpanLimits>;
  /** Extra processors, after the batch processor. */
  spanProcessors?: SpanProcessor[];
  /** Track open traces for `getActiveTraces()` (default true; costs a Map update per span). */
  activeTraces?: boolean;
  /**
   * Keep recent spans for value-stream analysis in process, read through `getAnalyzer()`
   * (default off, and then it costs nothing; on, one array store per ended span).
   */
  analyzer?: boolean | LocalAnalyzerOptions;
  /** Print the SDK's own warnings to the console (default: OTEL_LOG_LEVEL, else warnings). */
  logLevel?: 'none' | 'error' | 'warn' | 'info' | 'debug';
}

function envEnabled(): boolean {
  const raw = process.env.TRACING_ENABLED?.trim().toLowerCase();
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return !(raw === 'false' || raw === '0' || raw === 'no' || raw === 'off');
}

function makeExporter(choice: ExporterChoice, endpoint: string | undefined): SpanExporter | undefined {
  if (typeof choice === 'object' && choice !== null) return choice;
  switch (choice) {
    case 'none':
      return undefined;
    case 'console':
      return new ConsoleSpanExporter();
    case 'otlp-grpc':
      return new OtlpGrpcExporter(endpoint === undefined ? {} : { url: endpoint });
    case 'otlp-json':
      return new OtlpHttpExporter({
        encoding: 'json',
        ...(endpoint === undefined ? {} : { url: withDefaultTracesPath(endpoint) }),
      });
    case 'otlp':
      return new OtlpHttpExporter(endpoint === undefined ? {} : { url: withDefaultTracesPath(endpoint) });
    default:
      reportOnce('init-exporter', `init: unknown exporter ${JSON.stringify(choice)}; using 'otlp'`);
      return new OtlpHttpExporter();
  }
}

const LOG_LEVELS = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
} as const;

/**
 * Sets up tracing and returns the registered provider. Calling it again returns the provider
 * of the first call (and reports it once): re-initialising a live SDK would orphan spans.
 */
export function init(options: InitOptions = {}): TracerProvider {
  const existing = getState();
  if (existing !== undefined) {
    reportOnce('init-twice', 'init() called again; keeping the first configuration');
    return existing.provider;
  }
  const level =
    options.logLevel ?? (process.env.OTEL_LOG_LEVEL?.toLowerCase() as InitOptions['logLevel']) ?? 'warn';
  diag.setLogger(new DiagConsoleLogger(), {
    logLevel: LOG_LEVELS[level ?? 'warn'] ?? DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });

  const enabled = options.enabled ?? envEnabled();
  let sampler: Sampler;
  if (!enabled) sampler = new AlwaysOffSampler();
  else if (options.sampler !== undefined) sampler = options.sampler;
  else if (options.sampleRate !== undefined)
    sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRate) });
  else sampler = samplerFromEnv();

  const resource: Attributes = { ...options.resource };
  if (options.serviceName !== undefined) resource['service.name'] = options.serviceName;
  const provider = new TracerProvider({ resource, sampler, spanLimits: options.spanLimits });

  const exporter = enabled ? makeExporter(options.exporter ?? 'otlp', options.endpoint) : undefined;
  const processor = exporter === undefined ? undefined : new BatchSpanProcessor(exporter, options.batch);
  if (processor !== undefined) provider.addSpanProcessor(processor);
  const tracker = options.activeTraces === false || !enabled ? undefined : new ActiveTraceTracker();
  if (tracker !== undefined) provider.addSpanProcessor(tracker);
  const analyzerOptions = options.analyzer === true ? {} : options.analyzer || undefined;
  const analyzer = analyzerOptions === undefined || !enabled ? undefined : new LocalAnalyzer(analyzerOptions);
  if (analyzer !== undefined) provider.addSpanProcessor(analyzer);
  for (const p of options.spanProcessors ?? []) provider.addSpanProcessor(p);

  provider.register();
  setCurrentAnalyzer(analyzer);
  setState({ provider, exporter, processor, tracker });
  return provider;
}

/**
 * @genba/sdk: an OpenTelemetry tracer (register it and every OTel instrumentation feeds it),
 * an ergonomic layer on top, helpers and TPS span builders, and OTLP export.
 */
export * from './analyzer/index.ts';
export { AsyncLocalStorageContextManager } from './context/async-local-storage-context-manager.ts';
export {
  addAttributes,
  currentSpanId,
  currentTraceId,
  recordError,
  recordEvent,
} from './ergonomic/active-span.ts';
export type { ActiveTrace } from './ergonomic/active-traces.ts';
export { ActiveTraceTracker } from './ergonomic/active-traces.ts';
export type { Carrier } from './ergonomic/carrier.ts';
export {
  extractHeaders,
  injectHeaders,
  propagateContext,
  withPropagatedContext,
} from './ergonomic/carrier.ts';
export type { ExporterChoice, InitOptions } from './ergonomic/init.ts';
export { init } from './ergonomic/init.ts';
export {
  flush,
  getActiveTraces,
  getExportStats,
  setEndpoint,
  setSamplingRate,
  shutdown,
} from './ergonomic/runtime.ts';
export { withSpan } from './ergonomic/with-span.ts';
export type {
  BatchSpanProcessorOptions,
  Compression,
  DropReason,
  LineSink,
  OtlpGrpcExporterOptions,
  OtlpHttpExporterOptions,
  RetryOptions as ExportRetryOptions,
  SimpleSpanProcessorOptions,
} from './export/index.ts';
export {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ExportStatsCounter,
  InMemorySpanExporter,
  OtlpExportError,
  OtlpGrpcExporter,
  OtlpHttpExporter,
  SimpleSpanProcessor,
} from './export/index.ts';
export * from './helpers/index.ts';
export * from './propagation/index.ts';
export { detectResource } from './resource/detect-resource.ts';
export * from './sampling/index.ts';
export { isTracingSuppressed, suppressTracing } from './suppress.ts';
export * from './tps/index.ts';
export type { IdGenerator } from './trace/id-generator.ts';
export { RandomIdGenerator } from './trace/id-generator.ts';
export { NonRecordingSpan } from './trace/non-recording-span.ts';
export { RecordingSpan } from './trace/recording-span.ts';
export type { SpanLimits } from './trace/span-limits.ts';
export { Tracer } from './trace/tracer.ts';
export type { RegisterOptions, TracerProviderOptions } from './trace/tracer-provider.ts';
export { TracerProvider } from './trace/tracer-provider.ts';
export type {
  ExportResult,
  ExportStats,
  ReadableSpan,
  Sampler,
  SamplingResult,
  SpanData,
  SpanExporter,
  SpanProcessor,
} from './types.ts';
export { ExportResultCode, SamplingDecision } from './types.ts';

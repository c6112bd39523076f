export type { BatchSpanProcessorOptions } from './batch-span-processor.ts';
export { BatchSpanProcessor } from './batch-span-processor.ts';
export type { LineSink } from './console-exporter.ts';
export { ConsoleSpanExporter, spanToJsonLine } from './console-exporter.ts';
export { OtlpExportError } from './export-error.ts';
export type { DropReason } from './export-stats.ts';
export { ExportStatsCounter, emptyExportStats } from './export-stats.ts';
export { InMemorySpanExporter } from './in-memory-exporter.ts';
export type { Compression } from './otlp-config.ts';
export type { OtlpGrpcExporterOptions } from './otlp-grpc-exporter.ts';
export { OtlpGrpcExporter } from './otlp-grpc-exporter.ts';
export type { OtlpHttpExporterOptions } from './otlp-http-exporter.ts';
export { OtlpHttpExporter } from './otlp-http-exporter.ts';
export type { AttemptOutcome, RetryOptions } from './retry.ts';
export {
  backoffMillis,
  isRetryableGrpcStatus,
  isRetryableHttpStatus,
  parseRetryAfter,
  runWithRetry,
} from './retry.ts';
export type { SimpleSpanProcessorOptions } from './simple-span-processor.ts';
export { SimpleSpanProcessor } from './simple-span-processor.ts';

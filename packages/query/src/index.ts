export { AnalysisService } from './genba/analysis-service.ts';
export { registerGenbaRoutes } from './genba/genba-routes.ts';
export { microFigures, nsToMicros } from './genba/micros.ts';
export * from './genba/report-json.ts';
export * from './jaeger/index.ts';
export { failure, type JaegerEnvelope, ok } from './jaeger-envelope.ts';
export { registerJaegerRoutes } from './jaeger-routes.ts';
export { parseTraceQuery } from './jaeger-search-params.ts';

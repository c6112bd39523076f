export * from './jaeger/index.ts';
export { failure, ok, type JaegerEnvelope } from './jaeger-envelope.ts';
export { parseTraceQuery } from './jaeger-search-params.ts';
export { registerJaegerRoutes } from './jaeger-routes.ts';

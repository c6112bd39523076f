export { Admission } from './admission.ts';
export type { ComponentContext, Lifecycle, ListeningReceiver, Stage } from './component.ts';
export { type ErrorAnswer, errorAnswer, grpcCodeFor } from './error-response.ts';
export { Metrics } from './metrics.ts';
export { type OtlpHttpOptions, registerOtlpHttp } from './otlp-http-receiver.ts';
export type { SpanConsumer } from './span-consumer.ts';

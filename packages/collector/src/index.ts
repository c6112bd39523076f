export { Admission } from './admission.ts';
export { errorAnswer, grpcCodeFor, type ErrorAnswer } from './error-response.ts';
export { Metrics } from './metrics.ts';
export { registerOtlpHttp, type OtlpHttpOptions } from './otlp-http-receiver.ts';
export type { SpanConsumer } from './span-consumer.ts';

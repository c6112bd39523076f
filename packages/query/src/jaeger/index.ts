export { fromJaegerJson } from './from-jaeger.ts';
export { goJsonText, goTimeString } from './go-text.ts';
export { jaegerServiceName, ProcessTable, toJaegerProcess } from './process.ts';
export { toJaegerSpan } from './span.ts';
export { toJaegerTag, toJaegerTags } from './tag.ts';
export { toJaegerTrace, toJaegerTraces } from './trace.ts';
export type * from './types.ts';

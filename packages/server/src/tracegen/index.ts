export { generateTrace } from './generate-trace.ts';
export { mulberry32 } from './random.ts';
export { runTracegen, type TracegenOptions, type TracegenResult } from './run-tracegen.ts';

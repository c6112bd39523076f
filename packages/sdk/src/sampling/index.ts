export { AlwaysOffSampler, AlwaysOnSampler } from './always.ts';
export { samplerFromEnv } from './from-env.ts';
export type { ParentBasedOptions } from './parent-based.ts';
export { ParentBasedSampler } from './parent-based.ts';
export { RateLimitingSampler } from './rate-limiting.ts';
export { TraceIdRatioBasedSampler } from './trace-id-ratio.ts';

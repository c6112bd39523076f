/**
 * Whether a sampler decides without reading the trace id, so the tracer may make a new trace's
 * id lazily. Only Genba's own samplers are known to; anyone else's gets the id up front.
 */
import type { Sampler } from '../types.ts';
import { AlwaysOffSampler, AlwaysOnSampler } from './always.ts';
import { ParentBasedSampler } from './parent-based.ts';
import { RateLimitingSampler } from './rate-limiting.ts';

export function ignoresTraceId(sampler: Sampler): boolean {
  if (
    sampler instanceof AlwaysOnSampler ||
    sampler instanceof AlwaysOffSampler ||
    sampler instanceof RateLimitingSampler
  )
    return true;
  return sampler instanceof ParentBasedSampler && sampler.ignoresTraceId;
}

import type { Sampler, SamplingResult } from '../types.ts';
import { NOT_SAMPLED, SAMPLED } from './results.ts';

export class AlwaysOnSampler implements Sampler {
  shouldSample(): SamplingResult {
    return SAMPLED;
  }
  toString(): string {
    return 'AlwaysOnSampler';
  }
}

export class AlwaysOffSampler implements Sampler {
  shouldSample(): SamplingResult {
    return NOT_SAMPLED;
  }
  toString(): string {
    return 'AlwaysOffSampler';
  }
}

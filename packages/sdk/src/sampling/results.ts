/** Shared, frozen results: a sampler that decides without attributes allocates nothing. */
import type { SamplingResult } from '../types.ts';
import { SamplingDecision } from '../types.ts';

export const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
export const NOT_SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

/** The sampling processors: their config schemas and factories, by Collector type name. */
export {
  type AdaptiveClockOptions,
  type AdaptiveSampler,
  type AdaptiveSamplerConfig,
  adaptiveSamplerConfig,
  createAdaptiveSampler,
  OTHER_SERVICES,
} from './adaptive-sampler.ts';
export {
  createProbabilisticSampler,
  keepsTrace,
  type ProbabilisticSamplerConfig,
  probabilisticSamplerConfig,
} from './probabilistic-sampler.ts';
export {
  type ClockOptions,
  createRateLimiting,
  type RateLimitingConfig,
  rateLimitingConfig,
} from './rate-limiting.ts';
export {
  createTailSampling,
  type SamplerClockOptions,
  type TailSampler,
  type TailSamplingConfig,
  tailSamplingConfig,
} from './tail-sampling.ts';

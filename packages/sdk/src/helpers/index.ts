/** Traced helpers: circuit breaker, retry, read-through cache and batch. */
export { type BatchOptions, type BatchResult, BatchSkippedError, tracedBatch } from './batch.ts';
export { type CacheStore, type TracedCache, type TracedCacheOptions, tracedCache } from './cache.ts';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitResult,
  type CircuitState,
  tracedCircuitBreaker,
} from './circuit-breaker.ts';
export { type RetryOptions, withRetry } from './retry.ts';

/**
 * Heijunka: level the load so no resource is overwhelmed. Acquiring from a pool is where
 * work waits for capacity; utilisation says how close to saturation the pool is.
 */
import type { Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { markDefect, setAttributes } from '../helpers/span-tools.ts';
import { nameOf, runWithHandle, type SpanHandle, spanHandle, startTpsSpan } from './span-handle.ts';

export interface PoolAcquireOptions {
  pool: string;
  resource?: string;
  /** Capacity of the pool. */
  size?: number;
  /** Resources in use when the acquire starts. */
  inUse?: number;
}

export interface PoolAcquireOutcome {
  acquired: boolean;
  /** Default: the time since `poolAcquire` was called. */
  acquireTimeMs?: number;
  inUse?: number;
  size?: number;
}

export type PoolAcquireHandle = SpanHandle<PoolAcquireOutcome>;

/** Starts a span `heijunka.acquire <pool>`; end it when the resource is in hand or refused. */
export function poolAcquire(options: PoolAcquireOptions): PoolAcquireHandle {
  const pool = nameOf(options?.pool, 'heijunka.poolAcquire');
  const started = performance.now();
  const span = startTpsSpan('heijunka', `heijunka.acquire ${pool}`, SpanKind.INTERNAL, 'waiting', {
    'heijunka.pool.name': pool,
    'heijunka.resource': options?.resource,
    'heijunka.pool.size': options?.size,
    'heijunka.pool.in_use': options?.inUse,
    'heijunka.pool.utilisation': utilisation(options?.inUse, options?.size),
  });
  return spanHandle('heijunka.poolAcquire', span, (outcome) =>
    record(span, pool, started, options?.inUse, options?.size, outcome),
  );
}

function record(
  span: Span,
  pool: string,
  started: number,
  inUseBefore: number | undefined,
  sizeBefore: number | undefined,
  outcome: PoolAcquireOutcome,
): void {
  const inUse = outcome?.inUse ?? inUseBefore;
  const size = outcome?.size ?? sizeBefore;
  const acquired = outcome?.acquired === true;
  const elapsed = Math.round((performance.now() - started) * 1000) / 1000;
  setAttributes(span, {
    'heijunka.acquired': acquired,
    'heijunka.acquire_time_ms': outcome?.acquireTimeMs ?? elapsed,
    'heijunka.pool.size': size,
    'heijunka.pool.in_use': inUse,
    'heijunka.pool.utilisation': utilisation(inUse, size),
  });
  if (!acquired) markDefect(span, `no resource acquired from pool ${pool}`);
}

/** inUse / size, clamped to 0–1; absent when either is missing or the size is not positive. */
function utilisation(inUse: number | undefined, size: number | undefined): number | undefined {
  if (typeof inUse !== 'number' || typeof size !== 'number' || !(size > 0) || Number.isNaN(inUse))
    return undefined;
  return Math.min(1, Math.max(0, inUse / size));
}

/**
 * `poolAcquire` around `fn(handle)`, the acquisition: acquired when it resolves (time measured),
 * not acquired when it throws (the error is recorded and rethrown). Resolves with `fn`'s value.
 */
export function withPoolAcquire<R>(
  options: PoolAcquireOptions,
  fn: (handle: PoolAcquireHandle) => R | PromiseLike<R>,
): Promise<R> {
  const handle = poolAcquire(options);
  return runWithHandle(
    handle,
    fn,
    () => handle.end({ acquired: true }),
    () => handle.end({ acquired: false }),
  );
}

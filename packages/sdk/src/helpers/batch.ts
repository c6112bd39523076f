/**
 * Runs a handler over items with bounded concurrency, traced: a span `batch <name>` and one
 * child span `batch.item <name>` per item. Item failures are results, not a rejected batch.
 */
import { SpanKind } from '@opentelemetry/api';
import { isPositiveInteger, numberOption } from './options.ts';
import {
  contextWith,
  endSpan,
  markDefect,
  markFailed,
  runInSpan,
  setAttributes,
  startSpan,
} from './span-tools.ts';

export type BatchResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatchOptions {
  /** Items handled at once. Default 1 (in order, one after another). */
  concurrency?: number;
  /** After the first failure start no more items; items never started fail with `BatchSkippedError`. */
  failFast?: boolean;
}

/** The error of an item that `failFast` never started; `cause` is the failure that stopped the batch. */
export class BatchSkippedError extends Error {
  override readonly name = 'BatchSkippedError';
  readonly index: number;

  constructor(batch: string, index: number, cause: unknown) {
    super(`batch ${batch}: item ${index} skipped after an earlier failure`, { cause });
    this.index = index;
  }
}

/**
 * Calls `handler(item, index)` for every item, at most `concurrency` at a time, and resolves
 * with one result per item, in input order. Never rejects because an item failed.
 */
export async function tracedBatch<T, R>(
  name: string,
  items: Iterable<T>,
  handler: (item: T, index: number) => R | PromiseLike<R>,
  options: BatchOptions = {},
): Promise<BatchResult<R>[]> {
  const list = Array.from(items);
  const concurrency = numberOption(
    options.concurrency,
    1,
    'concurrency',
    isPositiveInteger,
    'an integer >= 1',
  );
  const span = startSpan(`batch ${name}`, {
    kind: SpanKind.INTERNAL,
    attributes: { 'batch.name': name, 'batch.size': list.length, 'batch.concurrency': concurrency },
  });
  const parent = contextWith(span);
  const results: BatchResult<R>[] = new Array(list.length);
  let next = 0;
  let firstError: { error: unknown } | undefined;

  async function runItem(index: number): Promise<void> {
    const item = startSpan(
      `batch.item ${name}`,
      { kind: SpanKind.INTERNAL, attributes: { 'batch.index': index } },
      parent,
    );
    try {
      const value = await runInSpan(item, () => handler(list[index], index));
      results[index] = { ok: true, value };
    } catch (error) {
      markFailed(item, error);
      results[index] = { ok: false, error };
      firstError ??= { error };
    } finally {
      endSpan(item);
    }
  }

  async function worker(): Promise<void> {
    while (next < list.length && !(options.failFast && firstError)) {
      await runItem(next++);
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));

  let succeeded = 0;
  let failed = 0;
  let skipped = 0;
  for (let i = 0; i < list.length; i++) {
    const r = results[i];
    if (r === undefined) {
      results[i] = { ok: false, error: new BatchSkippedError(name, i, firstError?.error) };
      skipped++;
    } else if (r.ok) succeeded++;
    else failed++;
  }
  setAttributes(span, { 'batch.succeeded': succeeded, 'batch.failed': failed, 'batch.skipped': skipped });
  if (failed > 0) markDefect(span, `${failed} of ${list.length} items failed`);
  endSpan(span);
  return results;
}

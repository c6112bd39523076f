/**
 * Kanban: work is pulled from a queue when there is capacity. The pull span's time is the
 * item's wait (waste `waiting`); the ack span is the hand-back after processing.
 */
import type { Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { markDefect, setAttributes } from '../helpers/span-tools.ts';
import { nameOf, runWithHandle, type SpanHandle, spanHandle, startTpsSpan } from './span-handle.ts';

export interface QueuePullOptions {
  queue: string;
  /** Items in the queue when the pull starts. */
  depth: number;
  workItem?: string;
  priority?: number | string;
}

export interface QueuePullOutcome {
  /** How long the pulled item waited in the queue. */
  waitTimeMs?: number;
  depthAfter?: number;
  /** The item pulled, when only known after the pull. */
  workItem?: string;
}

export interface QueuePullHandle extends SpanHandle<QueuePullOutcome | undefined> {
  end(outcome?: QueuePullOutcome): void;
}

export type AckResult = 'ack' | 'nack' | 'requeue';

export interface QueueAckOptions {
  queue: string;
  workItem: string;
  /** The result `end()` records when it is given none. Default `ack`. */
  result?: AckResult;
}

export interface QueueAckOutcome {
  result?: AckResult;
}

export interface QueueAckHandle extends SpanHandle<QueueAckOutcome | undefined> {
  end(outcome?: QueueAckOutcome): void;
}

/** Starts a CONSUMER span `kanban.pull <queue>`; end it once the item is in hand. */
export function queuePull(options: QueuePullOptions): QueuePullHandle {
  const queue = nameOf(options?.queue, 'kanban.queuePull');
  const span = startTpsSpan('kanban', `kanban.pull ${queue}`, SpanKind.CONSUMER, 'waiting', {
    'messaging.operation': 'receive',
    'messaging.destination.name': queue,
    'kanban.queue.name': queue,
    'kanban.queue.depth': options?.depth,
    'kanban.work_item': options?.workItem,
    'kanban.priority': options?.priority,
  });
  return spanHandle('kanban.queuePull', span, (outcome) => recordPull(span, outcome));
}

function recordPull(span: Span, outcome: QueuePullOutcome | undefined): void {
  const wait = outcome?.waitTimeMs;
  const validWait = typeof wait === 'number' && wait >= 0 ? wait : undefined;
  if (wait !== undefined && validWait === undefined) {
    reportOnce(
      'kanban.queuePull.waitTimeMs',
      'kanban.queuePull: waitTimeMs must be a number >= 0; not recorded',
    );
  }
  setAttributes(span, {
    'kanban.wait_time_ms': validWait,
    queue_wait_time_us: validWait === undefined ? undefined : Math.round(validWait * 1000),
    'kanban.queue.depth_after': outcome?.depthAfter,
    'kanban.work_item': outcome?.workItem,
  });
}

/**
 * `queuePull` around `fn(handle)`, which pulls the item. Ends with no wait time unless `fn` ended
 * the handle itself; a throw is recorded (ERROR, defect) and rethrown.
 */
export function withQueuePull<R>(
  options: QueuePullOptions,
  fn: (handle: QueuePullHandle) => R | PromiseLike<R>,
): Promise<R> {
  const handle = queuePull(options);
  return runWithHandle(
    handle,
    fn,
    () => handle.end(),
    () => handle.end(),
  );
}

/** Starts a span `kanban.ack <queue>` for settling a work item; nack is a defect. */
export function queueAck(options: QueueAckOptions): QueueAckHandle {
  const queue = nameOf(options?.queue, 'kanban.queueAck');
  const fallback = options?.result ?? 'ack';
  const span = startTpsSpan('kanban', `kanban.ack ${queue}`, SpanKind.INTERNAL, 'processing', {
    'kanban.queue.name': queue,
    'kanban.work_item': options?.workItem,
  });
  return spanHandle('kanban.queueAck', span, (outcome) => {
    const result = outcome?.result ?? fallback;
    setAttributes(span, { 'kanban.ack.result': result });
    if (result === 'nack') markDefect(span, `work item nacked on ${queue}`);
  });
}

/** `queueAck` around `fn(handle)`, the processing: `ack` when it resolves, `nack` when it throws. */
export function withQueueAck<R>(
  options: QueueAckOptions,
  fn: (handle: QueueAckHandle) => R | PromiseLike<R>,
): Promise<R> {
  const handle = queueAck(options);
  return runWithHandle(
    handle,
    fn,
    () => handle.end({ result: options?.result ?? 'ack' }),
    () => handle.end({ result: 'nack' }),
  );
}

/**
 * TPS span builders, one namespace per concept: `jidoka`, `kanban`, `andon`, `heijunka`,
 * `action`. Each builder starts a span under the active context and returns `{ span, end }`.
 */

import { execute, withAction } from './action.ts';
import { logEvent, withSignal } from './andon.ts';
import { poolAcquire, withPoolAcquire } from './heijunka.ts';
import { circuitCheck } from './jidoka.ts';
import { queueAck, queuePull, withQueueAck, withQueuePull } from './kanban.ts';

export const jidoka = { circuitCheck } as const;
export const kanban = { queuePull, queueAck, withQueuePull, withQueueAck } as const;
export const andon = { logEvent, withSignal } as const;
export const heijunka = { poolAcquire, withPoolAcquire } as const;
export const action = { execute, withAction } as const;

export type { ActionHandle, ActionMetadata, ActionOptions, ActionOutcome } from './action.ts';
export type { AndonHandle, AndonOutcome, AndonSeverity, AndonSignal } from './andon.ts';
export { ATTR_GENBA_COMPONENT, ATTR_GENBA_WASTE, type GenbaComponent, type Waste } from './conventions.ts';
export type { PoolAcquireHandle, PoolAcquireOptions, PoolAcquireOutcome } from './heijunka.ts';
export type { CircuitCheckHandle, CircuitCheckOptions, CircuitCheckOutcome, JidokaResult } from './jidoka.ts';
export type {
  AckResult,
  QueueAckHandle,
  QueueAckOptions,
  QueueAckOutcome,
  QueuePullHandle,
  QueuePullOptions,
  QueuePullOutcome,
} from './kanban.ts';
export type { SpanHandle } from './span-handle.ts';

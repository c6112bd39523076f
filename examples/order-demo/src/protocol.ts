/** What the demo's parent process and its service processes say to each other over IPC. */
import type { ExportStats } from '@genba/sdk';

export const SERVICES = ['gateway', 'orders', 'payments', 'inventory', 'shipping'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Base URLs (http://127.0.0.1:port) of every service, known once all are listening. */
export type Peers = Record<ServiceName, string>;

export type ToService = { type: 'peers'; peers: Peers } | { type: 'stop' };

export type FromService =
  | { type: 'ready'; port: number }
  | { type: 'configured' }
  | { type: 'stopped'; export: ExportStats };

/** Environment handed to each service process. */
export const ENV = {
  endpoint: 'GENBA_DEMO_ENDPOINT',
  seed: 'GENBA_DEMO_SEED',
  /** ms added to every request this service handles (the `slow` option); absent for the others. */
  addedDelayMs: 'GENBA_DEMO_ADDED_DELAY_MS',
} as const;

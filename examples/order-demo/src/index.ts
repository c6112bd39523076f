/**
 * @genba/order-demo: a five-service order system instrumented with @genba/sdk, sending
 * realistic traffic (errors, retries, slow paths, queue and pool waits) to a Genba server.
 */
export type { FaultPlan } from './fault-plan.ts';
export { faultPlan } from './fault-plan.ts';
export type { ServiceName } from './protocol.ts';
export { SERVICES } from './protocol.ts';
export type { SlowOption, SlowService } from './slow.ts';
export { MAX_SLOW_MS, parseSlowFlag, SLOW_SERVICES } from './slow.ts';
export type { Demo, DemoOptions } from './start-demo.ts';
export { startDemo } from './start-demo.ts';
export type { DemoStats } from './stats.ts';

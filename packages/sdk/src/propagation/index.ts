export {
  isValidTraceStateKey,
  isValidTraceStateValue,
  MAX_TRACE_STATE_MEMBERS,
  TraceState,
} from './trace-state.ts';
export type { TraceParent } from './w3c-trace-context.ts';
export {
  formatTraceParent,
  parseTraceParent,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  W3CTraceContextPropagator,
} from './w3c-trace-context.ts';

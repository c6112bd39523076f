export { percentDecode, percentEncode } from './percent-encoding.ts';
export {
  isValidTraceStateKey,
  isValidTraceStateValue,
  MAX_TRACE_STATE_MEMBERS,
  TraceState,
} from './trace-state.ts';
export {
  BAGGAGE_HEADER,
  BAGGAGE_MAX_ENTRIES,
  BAGGAGE_MAX_MEMBER_BYTES,
  BAGGAGE_MAX_TOTAL_BYTES,
  parseBaggageHeader,
  serializeBaggage,
  W3CBaggagePropagator,
} from './w3c-baggage.ts';
export type { TraceParent } from './w3c-trace-context.ts';
export {
  formatTraceParent,
  parseTraceParent,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  W3CTraceContextPropagator,
} from './w3c-trace-context.ts';

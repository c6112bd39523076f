export type { B3InjectEncoding, B3PropagatorConfig } from './b3.ts';
export {
  B3_DEBUG_FLAG_KEY,
  B3_FLAGS_HEADER,
  B3_HEADER,
  B3_PARENT_SPAN_ID_HEADER,
  B3_SAMPLED_HEADER,
  B3_SPAN_ID_HEADER,
  B3_TRACE_ID_HEADER,
  B3Propagator,
  parseB3Multi,
  parseB3Single,
} from './b3.ts';
export type { CompositePropagatorConfig } from './composite.ts';
export { CompositePropagator } from './composite.ts';
export { DEFAULT_PROPAGATORS, propagatorFromEnv, propagatorNames } from './from-env.ts';
export { NoopPropagator } from './noop.ts';
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

/**
 * Trace and span id checks for the wire formats. Both W3C and B3 require lowercase hex, so
 * these are stricter than the api's `isValidTraceId` (which also accepts uppercase).
 */

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;

/** 32 lowercase hex characters, not all zero. */
export function isValidTraceIdHex(id: string): boolean {
  return TRACE_ID.test(id) && !ALL_ZERO.test(id);
}

/** 16 lowercase hex characters, not all zero. */
export function isValidSpanIdHex(id: string): boolean {
  return SPAN_ID.test(id) && !ALL_ZERO.test(id);
}

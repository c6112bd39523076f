export { decodeTraceRequestJson } from './decode-json.ts';
export { decodeTraceRequest } from './decode-protobuf.ts';
export { encodeTraceRequestJson } from './encode-json.ts';
export { encodeTraceRequest } from './encode-protobuf.ts';
export { OtlpDecodeError } from './errors.ts';
export {
  encodeRpcStatus,
  encodeRpcStatusJson,
  encodeTraceResponse,
  encodeTraceResponseJson,
} from './responses.ts';
export { decodeTraceResponse, TRACE_SERVICE_EXPORT_PATH, traceServiceDefinition } from './trace-service.ts';

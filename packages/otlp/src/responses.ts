/** The small messages a receiver answers with: ExportTraceServiceResponse and google.rpc.Status. */
import { ProtoWriter } from './proto-writer.ts';

export interface TraceResponse {
  rejectedSpans: number;
  errorMessage: string;
}

export interface RpcStatus {
  code: number;
  message: string;
}

/** ExportTraceServiceResponse; `partial_success` only when something was rejected or said. */
export function encodeTraceResponse(r: TraceResponse): Uint8Array {
  const rejected = BigInt(Math.trunc(r.rejectedSpans));
  if (rejected === 0n && r.errorMessage === '') return new Uint8Array(0);
  const w = new ProtoWriter(64 + 3 * r.errorMessage.length);
  const partial = w.begin(10, 1);
  if (rejected !== 0n) {
    w.buf[w.pos++] = 8;
    w.int64(rejected);
  }
  if (r.errorMessage !== '') w.string(18, r.errorMessage);
  w.end(partial, 1);
  return w.finish();
}

/** The same in OTLP/JSON: `{}` or `{"partialSuccess":{...}}` with int64 as a string. */
export function encodeTraceResponseJson(r: TraceResponse): string {
  const rejected = Math.trunc(r.rejectedSpans);
  if (rejected === 0 && r.errorMessage === '') return '{}';
  const fields: string[] = [];
  if (rejected !== 0) fields.push(`"rejectedSpans":"${rejected}"`);
  if (r.errorMessage !== '') fields.push(`"errorMessage":${JSON.stringify(r.errorMessage)}`);
  return `{"partialSuccess":{${fields.join(',')}}}`;
}

/** google.rpc.Status (code = 1, message = 2), as gRPC and OTLP/HTTP send it on failure. */
export function encodeRpcStatus(s: RpcStatus): Uint8Array {
  const code = s.code | 0;
  const w = new ProtoWriter(64 + 3 * s.message.length);
  if (code !== 0) {
    w.buf[w.pos++] = 8;
    w.int32(code);
  }
  if (s.message !== '') w.string(18, s.message);
  return w.finish();
}

export function encodeRpcStatusJson(s: RpcStatus): string {
  return `{"code":${s.code | 0},"message":${JSON.stringify(s.message)}}`;
}

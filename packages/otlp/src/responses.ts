/** The small messages a receiver answers with: ExportTraceServiceResponse and google.rpc.Status. */
import { int64Size, messageSize, ProtoWriter, SizeTable, stringSize, varintSize } from './proto-writer.ts';

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
  const t = new SizeTable();
  const slot = t.reserve();
  let body = rejected !== 0n ? 1 + int64Size(rejected) : 0;
  if (r.errorMessage !== '') body += 1 + stringSize(t, r.errorMessage);
  t.a[slot] = body;
  const w = new ProtoWriter(1 + messageSize(body), t);
  w.message(10);
  if (rejected !== 0n) {
    w.buf[w.pos++] = 8;
    w.int64(rejected);
  }
  if (r.errorMessage !== '') {
    w.buf[w.pos++] = 18;
    w.string(r.errorMessage);
  }
  return w.buf;
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
  const t = new SizeTable();
  let size = code === 0 ? 0 : 1 + (code < 0 ? 10 : varintSize(code));
  if (s.message !== '') size += 1 + stringSize(t, s.message);
  const w = new ProtoWriter(size, t);
  if (code !== 0) {
    w.buf[w.pos++] = 8;
    w.int32(code);
  }
  if (s.message !== '') {
    w.buf[w.pos++] = 18;
    w.string(s.message);
  }
  return w.buf;
}

export function encodeRpcStatusJson(s: RpcStatus): string {
  return `{"code":${s.code | 0},"message":${JSON.stringify(s.message)}}`;
}

/**
 * The OTLP gRPC TraceService, described in the shape @grpc/grpc-js takes for a service
 * definition, with this package's codecs as (de)serializers. No grpc-js import is needed:
 * `server.addService(traceServiceDefinition, { Export: handler })`.
 */
import type { Span } from '@genba/model';
import { decodeTraceRequest } from './decode-protobuf.ts';
import { encodeTraceRequest } from './encode-protobuf.ts';
import { protoError } from './errors.ts';
import { ProtoReader } from './proto-reader.ts';
import type { TraceResponse } from './responses.ts';
import { encodeTraceResponse } from './responses.ts';

export const TRACE_SERVICE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

// grpc-js hands Buffers in and wants Buffers back.
const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export const traceServiceDefinition = {
  Export: {
    path: TRACE_SERVICE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    originalName: 'export',
    requestSerialize: (spans: readonly Span[]) => asBuffer(encodeTraceRequest(spans)),
    requestDeserialize: (bytes: Uint8Array) => decodeTraceRequest(bytes),
    responseSerialize: (r: TraceResponse) => asBuffer(encodeTraceResponse(r)),
    responseDeserialize: (bytes: Uint8Array) => decodeTraceResponse(bytes),
  },
} as const;

/** ExportTraceServiceResponse → its partial success (zeros when absent), for exporters. */
export function decodeTraceResponse(bytes: Uint8Array): TraceResponse {
  const r = new ProtoReader(bytes);
  const out: TraceResponse = { rejectedSpans: 0, errorMessage: '' };
  const end = bytes.length;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag !== 10) {
      r.skip(tag, end, at);
      continue;
    }
    const partialEnd = r.lenEnd(end);
    while (r.pos < partialEnd) {
      const fieldAt = r.pos;
      const t = r.tag();
      if (t === 8) out.rejectedSpans = Number(r.varint64());
      else if (t === 18) out.errorMessage = r.string(partialEnd);
      else if (t >>> 3 === 1 || t >>> 3 === 2)
        throw protoError('ExportTracePartialSuccess field has the wrong wire type', fieldAt);
      else r.skip(t, partialEnd, fieldAt);
    }
    r.finish(partialEnd, 'ExportTracePartialSuccess');
  }
  return out;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  decodeTraceResponse,
  encodeRpcStatus,
  encodeRpcStatusJson,
  encodeTraceResponse,
  encodeTraceResponseJson,
  OtlpDecodeError,
  TRACE_SERVICE_EXPORT_PATH,
  traceServiceDefinition,
} from '../src/index.ts';
import { ResponseType, RpcStatusType } from './helpers/oracle.ts';

const TO_OBJECT = { longs: String, defaults: true };

test('a full success is an empty ExportTraceServiceResponse', () => {
  assert.equal(encodeTraceResponse({ rejectedSpans: 0, errorMessage: '' }).length, 0);
  assert.equal(encodeTraceResponseJson({ rejectedSpans: 0, errorMessage: '' }), '{}');
});

test('a partial success reads back in protobufjs, and as OTLP/JSON', () => {
  fc.assert(
    fc.property(fc.nat(), fc.string({ unit: 'binary', maxLength: 200 }), (rejectedSpans, errorMessage) => {
      const bytes = encodeTraceResponse({ rejectedSpans, errorMessage });
      if (rejectedSpans === 0 && errorMessage === '') return assert.equal(bytes.length, 0);
      const got = ResponseType.toObject(ResponseType.decode(bytes), TO_OBJECT);
      assert.deepStrictEqual(got, { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } });
      const json = JSON.parse(encodeTraceResponseJson({ rejectedSpans, errorMessage }));
      assert.equal(json.partialSuccess.rejectedSpans ?? '0', String(rejectedSpans));
      assert.equal(json.partialSuccess.errorMessage ?? '', errorMessage);
    }),
  );
});

test('google.rpc.Status reads back in protobufjs, negative codes included', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.string({ maxLength: 100 }),
      (code, message) => {
        const got = RpcStatusType.toObject(
          RpcStatusType.decode(encodeRpcStatus({ code, message })),
          TO_OBJECT,
        );
        assert.deepStrictEqual(got, { code, message, details: [] });
        assert.deepStrictEqual(JSON.parse(encodeRpcStatusJson({ code, message })), { code, message });
      },
    ),
  );
  assert.deepStrictEqual([...encodeRpcStatus({ code: 3, message: 'bad' })], [8, 3, 18, 3, 98, 97, 100]);
});

test('the gRPC service definition round-trips requests and responses through our codecs', () => {
  const { Export } = traceServiceDefinition;
  assert.equal(Export.path, '/opentelemetry.proto.collector.trace.v1.TraceService/Export');
  assert.equal(TRACE_SERVICE_EXPORT_PATH, Export.path);
  const wire = Export.responseSerialize({ rejectedSpans: 3, errorMessage: 'too old' });
  assert.ok(Buffer.isBuffer(wire));
  assert.deepStrictEqual(Export.responseDeserialize(wire), { rejectedSpans: 3, errorMessage: 'too old' });
  assert.deepStrictEqual(decodeTraceResponse(new Uint8Array(0)), { rejectedSpans: 0, errorMessage: '' });
  const spans = Export.requestDeserialize(Export.requestSerialize([]));
  assert.deepStrictEqual(spans, []);
  assert.throws(() => decodeTraceResponse(new Uint8Array([10, 2, 8])), OtlpDecodeError);
});

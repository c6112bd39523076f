/**
 * Decodes jaeger.thrift's `Batch` (jaeger-idl, thrift/jaeger.thrift) from either Thrift protocol,
 * and the agent's `emitBatch` message (thrift/agent.thrift) that carries one over UDP. Field ids
 * follow the IDL; unknown fields (`seqNo`, `stats`, future ones) and fields of an unexpected type
 * are skipped, as Thrift readers do. Every failure is a ThriftDecodeError.
 */
import { ThriftBinaryReader } from './thrift-binary-reader.ts';
import { ThriftCompactReader } from './thrift-compact-reader.ts';
import { MessageType, ThriftDecodeError, type ThriftReader, TType } from './thrift-reader.ts';
import { skipValue } from './thrift-skip.ts';

/** jaeger.thrift `TagType`. */
export const TagType = { STRING: 0, DOUBLE: 1, BOOL: 2, LONG: 3, BINARY: 4 } as const;

/** jaeger.thrift `SpanRefType`. */
export const SpanRefType = { CHILD_OF: 0, FOLLOWS_FROM: 1 } as const;

export interface JaegerTag {
  key: string;
  vType: number;
  vStr?: string;
  vDouble?: number;
  vBool?: boolean;
  vLong?: bigint;
  vBinary?: Uint8Array;
}

export interface JaegerLog {
  timestamp: bigint;
  fields: JaegerTag[];
}

export interface JaegerSpanRef {
  refType: number;
  traceIdLow: bigint;
  traceIdHigh: bigint;
  spanId: bigint;
}

export interface JaegerSpan {
  traceIdLow: bigint;
  traceIdHigh: bigint;
  spanId: bigint;
  parentSpanId: bigint;
  operationName: string;
  references: JaegerSpanRef[];
  flags: number;
  startTime: bigint;
  duration: bigint;
  tags: JaegerTag[];
  logs: JaegerLog[];
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerTag[];
}

export interface JaegerBatch {
  /** Absent when the sender left it out (it is required by the IDL, but the Collector tolerates it). */
  process?: JaegerProcess;
  spans: JaegerSpan[];
}

export type ThriftProtocol = 'binary' | 'compact';

function readerFor(bytes: Uint8Array, protocol: ThriftProtocol): ThriftReader {
  return protocol === 'binary' ? new ThriftBinaryReader(bytes) : new ThriftCompactReader(bytes);
}

/** A bare `Batch` struct, as jaeger-client's HTTPSender posts it to `/api/traces` (binary protocol). */
export function decodeBatch(bytes: Uint8Array, protocol: ThriftProtocol = 'binary'): JaegerBatch {
  return guarded(() => readBatch(readerFor(bytes, protocol)));
}

/** One UDP datagram: an `Agent.emitBatch` message whose only argument (field 1) is the `Batch`. */
export function decodeEmitBatch(bytes: Uint8Array, protocol: ThriftProtocol): JaegerBatch {
  return guarded(() => {
    const r = readerFor(bytes, protocol);
    const head = r.readMessageBegin();
    if (head.type !== MessageType.ONEWAY && head.type !== MessageType.CALL)
      throw r.error(`message type ${head.type} is not a call`);
    if (head.name === 'emitZipkinBatch')
      throw r.error('emitZipkinBatch (Zipkin Thrift spans) is not supported; send Jaeger emitBatch');
    if (head.name !== 'emitBatch') throw r.error(`unknown method "${head.name.slice(0, 64)}"`);
    let batch: JaegerBatch | undefined;
    r.structBegin();
    for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
      if (r.fieldId === 1 && t === TType.STRUCT) batch = readBatch(r);
      else skipValue(r, t, 1);
    }
    r.structEnd();
    if (!batch) throw r.error('emitBatch carries no batch (argument 1)');
    return batch;
  });
}

/** Keeps the promise that nothing but a ThriftDecodeError leaves the decoder. */
function guarded(decode: () => JaegerBatch): JaegerBatch {
  try {
    return decode();
  } catch (err) {
    if (err instanceof ThriftDecodeError) throw err;
    throw new ThriftDecodeError(`cannot decode: ${(err as Error)?.message ?? String(err)}`, -1);
  }
}

/** Reads a `list<T>` with each element read by `item`; a list of another element type is skipped. */
function readList<T>(r: ThriftReader, elemType: number, depth: number, item: () => T): T[] {
  const n = r.readListBegin();
  const t = r.elemType;
  const out: T[] = [];
  if (t !== elemType) {
    for (let i = 0; i < n; i++) skipValue(r, t, depth + 1);
    return out;
  }
  for (let i = 0; i < n; i++) out.push(item());
  return out;
}

function readBatch(r: ThriftReader): JaegerBatch {
  const batch: JaegerBatch = { spans: [] };
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && t === TType.STRUCT) batch.process = readProcess(r);
    else if (id === 2 && t === TType.LIST) batch.spans = readList(r, TType.STRUCT, 1, () => readSpan(r));
    else skipValue(r, t, 1);
  }
  r.structEnd();
  return batch;
}

function readProcess(r: ThriftReader): JaegerProcess {
  const p: JaegerProcess = { serviceName: '', tags: [] };
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && t === TType.STRING) p.serviceName = r.readString();
    else if (id === 2 && t === TType.LIST) p.tags = readList(r, TType.STRUCT, 2, () => readTag(r));
    else skipValue(r, t, 2);
  }
  r.structEnd();
  return p;
}

function readSpan(r: ThriftReader): JaegerSpan {
  const s: JaegerSpan = {
    traceIdLow: 0n,
    traceIdHigh: 0n,
    spanId: 0n,
    parentSpanId: 0n,
    operationName: '',
    references: [],
    flags: 0,
    startTime: 0n,
    duration: 0n,
    tags: [],
    logs: [],
  };
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
    const id = r.fieldId;
    if (t === TType.I64 && id === 1) s.traceIdLow = r.readI64();
    else if (t === TType.I64 && id === 2) s.traceIdHigh = r.readI64();
    else if (t === TType.I64 && id === 3) s.spanId = r.readI64();
    else if (t === TType.I64 && id === 4) s.parentSpanId = r.readI64();
    else if (t === TType.STRING && id === 5) s.operationName = r.readString();
    else if (t === TType.LIST && id === 6) s.references = readList(r, TType.STRUCT, 2, () => readSpanRef(r));
    else if (t === TType.I32 && id === 7) s.flags = r.readI32();
    else if (t === TType.I64 && id === 8) s.startTime = r.readI64();
    else if (t === TType.I64 && id === 9) s.duration = r.readI64();
    else if (t === TType.LIST && id === 10) s.tags = readList(r, TType.STRUCT, 2, () => readTag(r));
    else if (t === TType.LIST && id === 11) s.logs = readList(r, TType.STRUCT, 2, () => readLog(r));
    else skipValue(r, t, 2);
  }
  r.structEnd();
  return s;
}

function readSpanRef(r: ThriftReader): JaegerSpanRef {
  const ref: JaegerSpanRef = { refType: 0, traceIdLow: 0n, traceIdHigh: 0n, spanId: 0n };
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && t === TType.I32) ref.refType = r.readI32();
    else if (id === 2 && t === TType.I64) ref.traceIdLow = r.readI64();
    else if (id === 3 && t === TType.I64) ref.traceIdHigh = r.readI64();
    else if (id === 4 && t === TType.I64) ref.spanId = r.readI64();
    else skipValue(r, t, 3);
  }
  r.structEnd();
  return ref;
}

function readLog(r: ThriftReader): JaegerLog {
  const log: JaegerLog = { timestamp: 0n, fields: [] };
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && t === TType.I64) log.timestamp = r.readI64();
    else if (id === 2 && t === TType.LIST) log.fields = readList(r, TType.STRUCT, 3, () => readTag(r));
    else skipValue(r, t, 3);
  }
  r.structEnd();
  return log;
}

function readTag(r: ThriftReader): JaegerTag {
  const tag: JaegerTag = { key: '', vType: TagType.STRING };
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && t === TType.STRING) tag.key = r.readString();
    else if (id === 2 && t === TType.I32) tag.vType = r.readI32();
    else if (id === 3 && t === TType.STRING) tag.vStr = r.readString();
    else if (id === 4 && t === TType.DOUBLE) tag.vDouble = r.readDouble();
    else if (id === 5 && t === TType.BOOL) tag.vBool = r.readBool();
    else if (id === 6 && t === TType.I64) tag.vLong = r.readI64();
    else if (id === 7 && t === TType.STRING) tag.vBinary = r.readBinary();
    else skipValue(r, t, 4);
  }
  r.structEnd();
  return tag;
}

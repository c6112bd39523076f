/** Skips a value of any type, as Thrift readers do for fields they do not know, with a bound on nesting. */
import { MAX_DEPTH, type ThriftReader, TType, typeName } from './thrift-reader.ts';

export function skipValue(r: ThriftReader, type: number, depth: number): void {
  if (depth > MAX_DEPTH) throw r.error(`values nest deeper than ${MAX_DEPTH} levels`);
  switch (type) {
    case TType.BOOL:
      r.readBool();
      return;
    case TType.BYTE:
      r.readByte();
      return;
    case TType.I16:
      r.readI16();
      return;
    case TType.I32:
      r.readI32();
      return;
    case TType.I64:
      r.readI64();
      return;
    case TType.DOUBLE:
      r.readDouble();
      return;
    case TType.STRING:
      r.readBinary();
      return;
    case TType.UUID:
      r.skipUuid();
      return;
    case TType.STRUCT:
      skipStruct(r, depth);
      return;
    case TType.LIST:
    case TType.SET: {
      const n = r.readListBegin();
      const t = r.elemType;
      for (let i = 0; i < n; i++) skipValue(r, t, depth + 1);
      return;
    }
    case TType.MAP: {
      const n = r.readMapBegin();
      const k = r.keyType;
      const v = r.elemType;
      for (let i = 0; i < n; i++) {
        skipValue(r, k, depth + 1);
        skipValue(r, v, depth + 1);
      }
      return;
    }
  }
  throw r.error(`cannot skip a value of ${typeName(type)}`);
}

function skipStruct(r: ThriftReader, depth: number): void {
  r.structBegin();
  for (let t = r.readFieldBegin(); t !== TType.STOP; t = r.readFieldBegin()) skipValue(r, t, depth + 1);
  r.structEnd();
}

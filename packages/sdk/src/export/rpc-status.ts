/**
 * Just enough of google.rpc.Status to read what OTLP servers put in failures: the message of
 * an OTLP/HTTP error body, and the RetryInfo delay of a gRPC `grpc-status-details-bin` trailer.
 * Malformed input gives undefined, never a throw: an odd error body must not mask the error.
 */

export interface RpcStatusInfo {
  code: number;
  message: string;
  /** From a google.rpc.RetryInfo detail, when the server sent one. */
  retryDelayMillis?: number;
}

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

interface Field {
  num: number;
  wire: number;
  /** Varint value (wire 0), else 0. */
  int: number;
  /** Payload of a length-delimited field (wire 2). */
  bytes?: Uint8Array;
}

/** The top-level fields of one message; undefined when it does not parse. */
function fields(buf: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): number | undefined => {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) return undefined;
      const b = buf[pos++];
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
    return undefined;
  };
  while (pos < buf.length) {
    const tag = varint();
    if (tag === undefined) return undefined;
    const num = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) {
      const int = varint();
      if (int === undefined) return undefined;
      out.push({ num, wire, int });
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + len > buf.length) return undefined;
      out.push({ num, wire, int: 0, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > buf.length) return undefined;
    } else {
      return undefined;
    }
  }
  return out;
}

const text = new TextDecoder();

/** google.rpc.RetryInfo → its retry_delay (a Duration) in milliseconds. */
function retryDelay(retryInfo: Uint8Array): number | undefined {
  const duration = fields(retryInfo)?.find((f) => f.num === 1 && f.bytes)?.bytes;
  if (!duration) return undefined;
  let seconds = 0;
  let nanos = 0;
  for (const f of fields(duration) ?? []) {
    if (f.num === 1 && f.wire === 0) seconds = f.int;
    else if (f.num === 2 && f.wire === 0) nanos = f.int;
  }
  return Math.max(0, seconds * 1000 + Math.round(nanos / 1e6));
}

export function decodeRpcStatus(buf: Uint8Array): RpcStatusInfo | undefined {
  const top = fields(buf);
  if (!top) return undefined;
  const out: RpcStatusInfo = { code: 0, message: '' };
  for (const f of top) {
    if (f.num === 1 && f.wire === 0) out.code = f.int;
    else if (f.num === 2 && f.bytes) out.message = text.decode(f.bytes);
    else if (f.num === 3 && f.bytes) {
      const any = fields(f.bytes);
      const typeUrl = any?.find((a) => a.num === 1 && a.bytes)?.bytes;
      const value = any?.find((a) => a.num === 2 && a.bytes)?.bytes;
      if (typeUrl && value && text.decode(typeUrl) === RETRY_INFO_TYPE) {
        const ms = retryDelay(value);
        if (ms !== undefined) out.retryDelayMillis = ms;
      }
    }
  }
  return out;
}

/**
 * google.rpc.Status with a google.rpc.RetryInfo detail, both directions. This is what OTLP/gRPC
 * puts in the `grpc-status-details-bin` trailer to throttle a client ("retry after this delay"),
 * and what an OTLP/HTTP error body holds. Shared by the gRPC receiver (encode) and the
 * exporters (decode). Field numbers: Status{code=1, message=2, details=3 (Any)},
 * Any{type_url=1, value=2}, RetryInfo{retry_delay=1 (Duration)}, Duration{seconds=1, nanos=2}.
 */

export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

export interface RpcStatusDetails {
  code: number;
  message: string;
  /** The RetryInfo delay, when the status carries one. */
  retryDelayMs?: number;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

function varint(n: number): number[] {
  const out: number[] = [];
  let v = Math.max(0, Math.trunc(n));
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function lengthDelimited(field: number, bytes: ArrayLike<number>): number[] {
  return [(field << 3) | 2, ...varint(bytes.length), ...Array.from(bytes)];
}

/** A google.rpc.Status; with `retryDelaySeconds`, a RetryInfo detail carrying that delay. */
export function encodeRpcStatusDetails(code: number, message: string, retryDelaySeconds?: number): Buffer {
  const out = [...(code === 0 ? [] : [8, ...varint(code)])];
  if (message !== '') out.push(...lengthDelimited(2, utf8.encode(message)));
  if (retryDelaySeconds !== undefined && Number.isFinite(retryDelaySeconds) && retryDelaySeconds >= 0) {
    const seconds = Math.floor(retryDelaySeconds);
    const nanos = Math.round((retryDelaySeconds - seconds) * 1e9);
    const duration = [...(seconds ? [8, ...varint(seconds)] : []), ...(nanos ? [16, ...varint(nanos)] : [])];
    const retryInfo = lengthDelimited(1, duration);
    const any = [...lengthDelimited(1, utf8.encode(RETRY_INFO_TYPE_URL)), ...lengthDelimited(2, retryInfo)];
    out.push(...lengthDelimited(3, any));
  }
  return Buffer.from(out);
}

interface Field {
  num: number;
  /** Varint value (wire type 0), else 0. */
  int: number;
  /** Payload of a length-delimited field (wire type 2). */
  bytes?: Uint8Array;
}

/** The top-level fields of one message, or undefined when it does not parse. Never throws. */
function fields(buf: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let pos = 0;
  const readVarint = (): number | undefined => {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10 && pos < buf.length; i++) {
      const b = buf[pos++];
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
    return undefined;
  };
  while (pos < buf.length) {
    const tag = readVarint();
    if (tag === undefined) return undefined;
    const num = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) {
      const int = readVarint();
      if (int === undefined) return undefined;
      out.push({ num, int });
    } else if (wire === 2) {
      const len = readVarint();
      if (len === undefined || pos + len > buf.length) return undefined;
      out.push({ num, int: 0, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > buf.length) return undefined;
    } else return undefined;
  }
  return out;
}

/** Decodes a google.rpc.Status; undefined when the bytes are not one. Malformed input never throws. */
export function decodeRpcStatusDetails(buf: Uint8Array): RpcStatusDetails | undefined {
  const top = fields(buf);
  if (!top) return undefined;
  const out: RpcStatusDetails = { code: 0, message: '' };
  for (const f of top) {
    if (f.num === 1 && !f.bytes) out.code = f.int;
    else if (f.num === 2 && f.bytes) out.message = text.decode(f.bytes);
    else if (f.num === 3 && f.bytes) {
      const any = fields(f.bytes);
      const typeUrl = any?.find((a) => a.num === 1 && a.bytes)?.bytes;
      const value = any?.find((a) => a.num === 2 && a.bytes)?.bytes;
      if (!typeUrl || !value || text.decode(typeUrl) !== RETRY_INFO_TYPE_URL) continue;
      const delay = fields(value)?.find((d) => d.num === 1 && d.bytes)?.bytes;
      const duration = delay ? fields(delay) : undefined;
      if (!duration) continue;
      const seconds = duration.find((d) => d.num === 1 && !d.bytes)?.int ?? 0;
      const nanos = duration.find((d) => d.num === 2 && !d.bytes)?.int ?? 0;
      out.retryDelayMs = seconds * 1000 + nanos / 1e6;
    }
  }
  return out;
}

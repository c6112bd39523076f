/** The position in a Thrift payload that both protocol readers advance, with every read bounded. */
import { ThriftDecodeError } from './thrift-reader.ts';

const decoder = new TextDecoder();

export class ByteCursor {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  error(problem: string): ThriftDecodeError {
    return new ThriftDecodeError(problem, this.pos);
  }

  need(n: number, what: string): void {
    if (this.remaining < n)
      throw this.error(`truncated input: ${what} needs ${n} bytes, ${this.remaining} remain`);
  }

  /** A declared length, refused when negative or beyond the input, before anything is allocated. */
  length(len: number, what: string): number {
    if (len < 0) throw this.error(`${what} has a negative length ${len}`);
    if (len > this.remaining)
      throw this.error(`${what} declares ${len} bytes but only ${this.remaining} remain`);
    return len;
  }

  utf8(len: number): string {
    const s = decoder.decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  /** A plain Uint8Array copy: attribute values must not keep the datagram alive, nor be Buffers. */
  copy(len: number): Uint8Array {
    const out = new Uint8Array(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return out;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
}

/**
 * Random trace and span ids as lowercase hex. Hex-encoding one 4 KiB random block at a time
 * and slicing it costs about a third of building each id alone; ids are 8 random bytes for a
 * span and 16 for a trace, as W3C Trace Context asks (never all zero).
 */
import { randomFillSync } from 'node:crypto';

export interface IdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

const BLOCK = 4096;
const scratch = Buffer.allocUnsafe(BLOCK);
let pool = '';
let pos = 0;

function take(chars: number): string {
  if (pos + chars > pool.length) {
    randomFillSync(scratch);
    pool = scratch.toString('hex');
    pos = 0;
  }
  const id = pool.substring(pos, pos + chars);
  pos += chars;
  // An all-zero id is invalid; the chance is 2^-64, but the rule is absolute.
  return id === ZERO_SPAN || id === ZERO_TRACE ? take(chars) : id;
}

const ZERO_SPAN = '0000000000000000';
const ZERO_TRACE = '00000000000000000000000000000000';

export class RandomIdGenerator implements IdGenerator {
  generateTraceId(): string {
    return take(32);
  }
  generateSpanId(): string {
    return take(16);
  }
}

/**
 * A pass over raw JSON bytes that refuses nesting deeper than a bound before `JSON.parse` sees
 * them. A valid Zipkin body nests 4 deep; a 16 MiB `[[[[…` would otherwise take seconds to parse.
 */
import { ZipkinDecodeError } from './zipkin-decode-error.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

export function checkJsonDepth(bytes: Uint8Array, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > maxDepth)
        throw new ZipkinDecodeError('body', `JSON nests deeper than ${maxDepth} levels at byte ${i}`);
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
}

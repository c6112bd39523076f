/**
 * RFC 3986 percent-encoding as W3C Baggage uses it for values: every byte outside
 * `baggage-octet`, and '%' itself, is written as %XX of its UTF-8 encoding.
 */

const encoder = new TextEncoder();
// ignoreBOM: a decoded value that starts with U+FEFF must keep it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** baggage-octet: printable ASCII except space, '"', ',', ';' and '\'. */
export function isBaggageOctet(byte: number): boolean {
  return byte >= 0x21 && byte <= 0x7e && byte !== 0x22 && byte !== 0x2c && byte !== 0x3b && byte !== 0x5c;
}

const HEX = '0123456789ABCDEF';

export function percentEncode(value: string): string {
  let out = '';
  for (const byte of encoder.encode(value)) {
    out +=
      isBaggageOctet(byte) && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Decodes %XX escapes as UTF-8; byte sequences that are not UTF-8 become U+FFFD, as the
 * spec requires. A '%' not followed by two hex digits is kept literally rather than failing.
 */
export function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x25 && i + 2 < value.length) {
      const hi = hexDigit(value.charCodeAt(i + 1));
      const lo = hexDigit(value.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    if (code < 0x80) bytes.push(code);
    else {
      // Not valid in a header value, but decode it faithfully rather than mangle it.
      const char = String.fromCodePoint(value.codePointAt(i)!);
      bytes.push(...encoder.encode(char));
      i += char.length - 1;
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

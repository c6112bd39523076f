/**
 * Zipkin ids in, Genba ids out. Zipkin writes 64- or 128-bit trace ids and 64-bit span ids as
 * hex (JSON) or big-endian bytes (proto3); shorter hex is left-padded as Zipkin itself does, and
 * 64-bit trace ids become 128-bit ones with zero high bits, as the Collector does.
 */
import { ZipkinDecodeError } from './zipkin-decode-error.ts';

const HEX = /^[0-9a-fA-F]+$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

function show(text: string): string {
  return text.length > 40 ? `"${text.slice(0, 40)}…" (${text.length} characters)` : `"${text}"`;
}

export function traceIdFromHex(text: string, where: string): string {
  if (text.length === 0 || text.length > 32 || !HEX.test(text))
    throw new ZipkinDecodeError(where, `expected 16 or 32 hex characters, got ${show(text)}`);
  const id = text.toLowerCase().padStart(32, '0');
  if (id === ZERO_TRACE) throw new ZipkinDecodeError(where, 'a trace id must not be all zeros');
  return id;
}

/** A span id; `parent` ids that are all zeros mean "no parent" and come back as ''. */
export function spanIdFromHex(text: string, where: string, parent = false): string {
  if (text.length === 0 || text.length > 16 || !HEX.test(text))
    throw new ZipkinDecodeError(where, `expected 16 hex characters, got ${show(text)}`);
  const id = text.toLowerCase().padStart(16, '0');
  if (id === ZERO_SPAN) {
    if (parent) return '';
    throw new ZipkinDecodeError(where, 'a span id must not be all zeros');
  }
  return id;
}

export function traceIdFromBytes(bytes: Uint8Array, where: string): string {
  if (bytes.length !== 8 && bytes.length !== 16)
    throw new ZipkinDecodeError(where, `expected 8 or 16 bytes, got ${bytes.length}`);
  const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex').padStart(32, '0');
  if (id === ZERO_TRACE) throw new ZipkinDecodeError(where, 'a trace id must not be all zeros');
  return id;
}

export function spanIdFromBytes(bytes: Uint8Array, where: string, parent = false): string {
  if (parent && bytes.length === 0) return '';
  if (bytes.length !== 8) throw new ZipkinDecodeError(where, `expected 8 bytes, got ${bytes.length}`);
  const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  if (id === ZERO_SPAN) {
    if (parent) return '';
    throw new ZipkinDecodeError(where, 'a span id must not be all zeros');
  }
  return id;
}

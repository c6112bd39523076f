/** Trace and span ids as lowercase hex. 64-bit trace ids are left-padded to 128 bits. */

const HEX = /^[0-9a-f]*$/;

export function isValidTraceId(id: string): boolean {
  return id.length === 32 && HEX.test(id) && id !== '00000000000000000000000000000000';
}

export function isValidSpanId(id: string): boolean {
  return id.length === 16 && HEX.test(id) && id !== '0000000000000000';
}

/**
 * Normalises a trace id given by a user or a 64-bit client: lowercase, left-padded to 32 hex digits.
 * Returns undefined when it is not hex or longer than 32 digits.
 */
export function normalizeTraceId(id: string): string | undefined {
  const lower = id.toLowerCase();
  if (lower.length === 0 || lower.length > 32 || !HEX.test(lower)) return undefined;
  return lower.padStart(32, '0');
}

/** Jaeger prints a trace id whose high 64 bits are zero as 16 hex digits. */
export function jaegerTraceId(id: string): string {
  return id.startsWith('0000000000000000') ? id.slice(16) : id;
}

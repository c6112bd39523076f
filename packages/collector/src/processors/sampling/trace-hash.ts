/**
 * Hashes of a trace id, so that every span of a trace, in every Genba instance, gets the same
 * sampling decision. Ids are the model's lowercase hex; the hashes run over the 16 id bytes
 * (read straight from the hex, with no buffer per call), as the OTel Collector's samplers do.
 */
import { FNV32_OFFSET, FNV32_PRIME, fmix32 } from '../../hash-mix.ts';

function hexNibble(code: number): number {
  // '0'..'9' → 0..9, 'a'..'f' (or 'A'..'F') → 10..15; anything else is a bug upstream, read as 0.
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : 0;
}

function hexByte(hex: string, i: number): number {
  return (hexNibble(hex.charCodeAt(i)) << 4) | hexNibble(hex.charCodeAt(i + 1));
}

function fnv32Step(h: number, byte: number): number {
  return Math.imul(h ^ byte, FNV32_PRIME) >>> 0;
}

/** FNV-1a 32 over bytes. */
export function fnv1a32(bytes: ArrayLike<number>, h = FNV32_OFFSET): number {
  let out = h;
  for (let i = 0; i < bytes.length; i++) out = fnv32Step(out, bytes[i] & 0xff);
  return out;
}

/**
 * FNV-1a 32 over the seed's four little-endian bytes, then the id's bytes: the Collector's
 * `probabilistic_sampler` hash in `hash_seed` mode.
 */
export function seededTraceHash(traceId: string, seed: number): number {
  let h = FNV32_OFFSET;
  for (let i = 0; i < 4; i++) h = fnv32Step(h, (seed >>> (8 * i)) & 0xff);
  for (let i = 0; i + 1 < traceId.length; i += 2) h = fnv32Step(h, hexByte(traceId, i));
  return h;
}

/** A uniform number in [0, 1) from the trace id: keep the trace when it is below the probability. */
export function traceFraction(traceId: string, seed = 0): number {
  return fmix32(seededTraceHash(traceId, seed)) / 4294967296;
}

/** A 64-bit hash as two unsigned 32-bit halves (JS numbers cannot hold 64 bits exactly). */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** FNV-1a 64 state in four 16-bit limbs, lowest first; the prime is 2^40 + 0x1b3. */
function fnv64Step(l: number[], byte: number): void {
  const h0 = l[0] ^ byte;
  const h1 = l[1];
  let t0 = h0 * 0x1b3;
  let t1 = h1 * 0x1b3;
  let t2 = l[2] * 0x1b3 + ((h0 & 0xff) << 8);
  let t3 = l[3] * 0x1b3 + (h0 >>> 8) + (h1 << 8);
  t1 += t0 >>> 16;
  t0 &= 0xffff;
  t2 += t1 >>> 16;
  t1 &= 0xffff;
  t3 += t2 >>> 16;
  t2 &= 0xffff;
  l[0] = t0;
  l[1] = t1;
  l[2] = t2;
  l[3] = t3 & 0xffff;
}

function fnv64Start(): number[] {
  // 0xcbf29ce484222325
  return [0x2325, 0x8422, 0x9ce4, 0xcbf2];
}

function fnv64Done(l: number[]): Hash64 {
  return { hi: ((l[3] << 16) | l[2]) >>> 0, lo: ((l[1] << 16) | l[0]) >>> 0 };
}

/** FNV-1a 64 over bytes. */
export function fnv1a64(bytes: ArrayLike<number>): Hash64 {
  const l = fnv64Start();
  for (let i = 0; i < bytes.length; i++) fnv64Step(l, bytes[i] & 0xff);
  return fnv64Done(l);
}

/** FNV-1a 64 over the salt's UTF-8 bytes, then the id's bytes: the Collector's probabilistic policy. */
export function saltedTraceHash(traceId: string, salt: Uint8Array): Hash64 {
  const l = fnv64Start();
  for (let i = 0; i < salt.length; i++) fnv64Step(l, salt[i]);
  for (let i = 0; i + 1 < traceId.length; i += 2) fnv64Step(l, hexByte(traceId, i));
  return fnv64Done(l);
}

/** ratio × 2^64 as a 64-bit threshold; a hash at or below it is kept. */
export function threshold64(ratio: number): Hash64 {
  if (ratio >= 1) return { hi: 0xffffffff, lo: 0xffffffff };
  const t = Math.max(0, ratio) * 2 ** 64;
  const hi = Math.floor(t / 2 ** 32);
  return { hi, lo: Math.floor(t - hi * 2 ** 32) };
}

export function atOrBelow(h: Hash64, limit: Hash64): boolean {
  return h.hi < limit.hi || (h.hi === limit.hi && h.lo <= limit.lo);
}

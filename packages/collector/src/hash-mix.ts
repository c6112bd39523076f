/** 32-bit FNV-1a constants and murmur3's finaliser, shared by the samplers and the hash ring. */

export const FNV32_OFFSET = 0x811c9dc5;
export const FNV32_PRIME = 0x01000193;

/** murmur3's finaliser: FNV-1a mixes its last input bytes weakly, and trace ids often end alike. */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

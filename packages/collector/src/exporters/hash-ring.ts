/**
 * A consistent-hash ring: each member owns many points (virtual nodes) on a 32-bit circle and a
 * key belongs to the first point at or after its hash, going round. Removing a member hands only
 * its own keys to the members after its points; adding one takes about 1/n of the keys, and only
 * from others. Points are hashes of the member's name, so every instance builds the same ring.
 */
import { FNV32_OFFSET, FNV32_PRIME, fmix32 } from '../hash-mix.ts';

/** A well-spread 32-bit hash of a string (FNV-1a over UTF-16 code units, then fmix32). */
export function hash32(text: string): number {
  let h = FNV32_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), FNV32_PRIME);
    if (c > 0xff) h = Math.imul(h ^ (c >>> 8), FNV32_PRIME);
  }
  return fmix32(h >>> 0);
}

/** Points per member: enough that members' shares stay within a few percent of even. */
export const DEFAULT_VIRTUAL_NODES = 256;

export class HashRing {
  readonly members: readonly string[];
  #points: Uint32Array;
  /** Index into `members` of the owner of each point, in the same order as `#points`. */
  #owners: Uint16Array;

  constructor(members: Iterable<string>, virtualNodes = DEFAULT_VIRTUAL_NODES) {
    const list = [...new Set(members)].sort();
    if (list.length > 0xffff)
      throw new RangeError(`a hash ring holds at most 65535 members, not ${list.length}`);
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1 || virtualNodes > 4096)
      throw new RangeError(`virtual nodes per member must be 1..4096, not ${virtualNodes}`);
    this.members = list;
    const points: { at: number; owner: number }[] = [];
    list.forEach((m, owner) => {
      for (let v = 0; v < virtualNodes; v++) points.push({ at: hash32(`${m}#${v}`), owner });
    });
    // Ties (rare) go to the member that sorts first, so the ring does not depend on input order.
    points.sort((a, b) => a.at - b.at || a.owner - b.owner);
    this.#points = Uint32Array.from(points, (p) => p.at);
    this.#owners = Uint16Array.from(points, (p) => p.owner);
  }

  get size(): number {
    return this.members.length;
  }

  /** The member that owns `key`, or undefined when the ring is empty. */
  owner(key: string): string | undefined {
    return this.ownerOfHash(hash32(key));
  }

  ownerOfHash(h: number): string | undefined {
    const points = this.#points;
    if (points.length === 0) return undefined;
    // First point ≥ h; past the last point the circle wraps to the first.
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    return this.members[this.#owners[lo === points.length ? 0 : lo]];
  }
}

/**
 * The consistent-hash ring behind the `loadbalancing` exporter, as properties over random member
 * sets and random trace ids: ownership does not depend on the order members are given in,
 * removing a member moves only its own keys, adding one moves about 1/n of the keys and only to
 * itself, and shares stay near even.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { HashRing, hash32 } from '../src/exporters/hash-ring.ts';

const traceId = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex'));

const hostPort = fc
  .tuple(
    fc.integer({ min: 1, max: 254 }),
    fc.integer({ min: 1, max: 254 }),
    fc.integer({ min: 1024, max: 65535 }),
  )
  .map(([a, b, port]) => `10.${a}.${b}.1:${port}`);

const members = (min: number, max: number) => fc.uniqueArray(hostPort, { minLength: min, maxLength: max });

/** Random ids from one seed: plenty of keys per run without fast-check shrinking thousands. */
function ids(seed: number, n: number): string[] {
  const out: string[] = [];
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    let id = '';
    for (let w = 0; w < 4; w++) {
      // xorshift32
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      id += x.toString(16).padStart(8, '0');
    }
    out.push(id);
  }
  return out;
}

describe('hash ring', () => {
  test('an empty ring owns nothing; a one-member ring owns everything', () => {
    assert.equal(new HashRing([]).owner('4bf92f3577b34da6a3ce929d0e0e4736'), undefined);
    const one = new HashRing(['a:1']);
    for (const id of ids(7, 200)) assert.equal(one.owner(id), 'a:1');
  });

  test('ownership does not depend on the order members are listed in', () => {
    fc.assert(
      fc.property(members(1, 8), fc.array(traceId, { minLength: 1, maxLength: 50 }), (ms, keys) => {
        const a = new HashRing(ms);
        const b = new HashRing([...ms].reverse());
        for (const k of keys) {
          const o = a.owner(k);
          assert.ok(o !== undefined && ms.includes(o));
          assert.equal(b.owner(k), o);
        }
      }),
    );
  });

  test('removing a member moves only the keys it owned, and spreads them over the others', () => {
    fc.assert(
      fc.property(members(2, 8), fc.nat(), fc.integer({ min: 0 }), (ms, pick, seed) => {
        const gone = ms[pick % ms.length];
        const before = new HashRing(ms);
        const after = new HashRing(ms.filter((m) => m !== gone));
        const heirs = new Set<string>();
        for (const k of ids(seed, 2000)) {
          const was = before.owner(k);
          const now = after.owner(k) as string;
          if (was === gone) heirs.add(now);
          else assert.equal(now, was, `key ${k} moved from ${was} to ${now} though ${gone} left`);
        }
        // Its points are scattered round the ring, so with 3+ members left its keys do not all go to one.
        if (ms.length >= 4) assert.ok(heirs.size >= 2, `all of ${gone}'s keys went to one member`);
      }),
      { numRuns: 60 },
    );
  });

  test('adding a member moves about 1/n of the keys, all of them to the new member', () => {
    fc.assert(
      fc.property(members(2, 9), fc.integer({ min: 0 }), (ms, seed) => {
        const [added, ...rest] = ms;
        const before = new HashRing(rest);
        const after = new HashRing(ms);
        const keys = ids(seed, 4000);
        let moved = 0;
        for (const k of keys) {
          const now = after.owner(k);
          if (now === before.owner(k)) continue;
          assert.equal(now, added, `key ${k} moved to ${now}, not to the new member`);
          moved++;
        }
        const expected = keys.length / ms.length;
        assert.ok(
          moved > expected * 0.5 && moved < expected * 1.6,
          `moved ${moved} of ${keys.length} keys to the ${ms.length}th member; expected about ${Math.round(expected)}`,
        );
      }),
      { numRuns: 60 },
    );
  });

  test('shares of 10,000 random trace ids stay near even for 2 to 6 members', () => {
    for (let n = 2; n <= 6; n++) {
      const ring = new HashRing(Array.from({ length: n }, (_, i) => `127.0.0.1:${4317 + i}`));
      const counts = new Map<string, number>();
      const keys = ids(n * 101, 10_000);
      for (const k of keys) {
        const o = ring.owner(k) as string;
        counts.set(o, (counts.get(o) ?? 0) + 1);
      }
      assert.equal(counts.size, n);
      for (const [m, c] of counts) {
        const share = (c * n) / keys.length;
        assert.ok(share > 0.75 && share < 1.25, `${m} got ${c} of ${keys.length} keys with ${n} members`);
      }
    }
  });

  test('hash32 and ownership are pinned, and ids that differ in one character spread apart', () => {
    // Pinned: instances of different versions behind one load balancer tier must route alike.
    assert.equal(hash32('127.0.0.1:4317#0'), 3488204168);
    assert.equal(hash32('4bf92f3577b34da6a3ce929d0e0e4736'), 3785779378);
    const ring = new HashRing(['127.0.0.1:4317', '127.0.0.1:4318', '127.0.0.1:4319']);
    assert.equal(ring.owner('4bf92f3577b34da6a3ce929d0e0e4736'), '127.0.0.1:4319');
    const a = hash32('4bf92f3577b34da6a3ce929d0e0e4736');
    const b = hash32('4bf92f3577b34da6a3ce929d0e0e4737');
    // A last-character change flips about half of the 32 bits after the finaliser.
    const flipped = (a ^ b).toString(2).replace(/0/g, '').length;
    assert.ok(flipped >= 8 && flipped <= 24, `only ${flipped} bits differ`);
  });

  test('a ring refuses silly sizes instead of allocating without bound', () => {
    assert.throws(() => new HashRing(['a:1'], 0), RangeError);
    assert.throws(() => new HashRing(['a:1'], 1e9), RangeError);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepsTrace } from '../src/processors/sampling/probabilistic-sampler.ts';
import {
  atOrBelow,
  fnv1a32,
  fnv1a64,
  seededTraceHash,
  threshold64,
  traceFraction,
} from '../src/processors/sampling/trace-hash.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const hex64 = (h: { hi: number; lo: number }) =>
  h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');

test('FNV-1a 32 and 64 match the published test vectors', () => {
  assert.equal(fnv1a32([]), 0x811c9dc5);
  assert.equal(fnv1a32(bytes('a')), 0xe40c292c);
  assert.equal(fnv1a32(bytes('foobar')), 0xbf9cf968);
  assert.equal(hex64(fnv1a64([])), 'cbf29ce484222325');
  assert.equal(hex64(fnv1a64(bytes('a'))), 'af63dc4c8601ec8c');
  assert.equal(hex64(fnv1a64(bytes('foobar'))), '85944171f73967e8');
});

test("the seeded trace hash gives the Collector's own test values (hash_seed mode, 14-bit buckets)", () => {
  // From the Collector's probabilistic sampler tests: no bytes, and 16 zero bytes, seed 0.
  assert.equal(seededTraceHash('', 0) & 0x3fff, 0x3515);
  assert.equal(seededTraceHash('0'.repeat(32), 0) & 0x3fff, 0x2455);
});

test('the hash reads the id bytes from hex, upper or lower case alike', () => {
  const id = '0af7651916cd43dd8448eb211c80319c';
  const raw = [...Buffer.from(id, 'hex')];
  assert.equal(seededTraceHash(id, 0), fnv1a32(raw, fnv1a32([0, 0, 0, 0])));
  assert.equal(seededTraceHash(id.toUpperCase(), 7), seededTraceHash(id, 7));
  assert.notEqual(seededTraceHash(id, 1), seededTraceHash(id, 2));
});

test('a 64-bit threshold keeps what is at or below it', () => {
  assert.deepEqual(threshold64(1), { hi: 0xffffffff, lo: 0xffffffff });
  assert.deepEqual(threshold64(0.5), { hi: 0x80000000, lo: 0 });
  assert.ok(atOrBelow({ hi: 0x7fffffff, lo: 0xffffffff }, threshold64(0.5)));
  assert.ok(atOrBelow({ hi: 0x80000000, lo: 0 }, threshold64(0.5)));
  assert.ok(!atOrBelow({ hi: 0x80000000, lo: 1 }, threshold64(0.5)));
});

test('keepsTrace: 0% keeps nothing, 100% keeps everything, a lower percentage keeps a subset', () => {
  for (let i = 0; i < 2000; i++) {
    const id = (i * 2654435761).toString(16).padStart(32, '0');
    assert.equal(keepsTrace(id, 0, 0), false);
    assert.equal(keepsTrace(id, 0, 100), true);
    if (keepsTrace(id, 0, 10)) assert.ok(keepsTrace(id, 0, 30), 'a trace kept at 10% is kept at 30%');
    const f = traceFraction(id);
    assert.ok(f >= 0 && f < 1);
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeType, jaegerTraceId, normalizeTraceId, parseDuration } from '../src/index.ts';

test('attribute types follow the JS type of the value', () => {
  assert.equal(attributeType('x'), 'string');
  assert.equal(attributeType(3n), 'int');
  assert.equal(attributeType(3), 'double');
  assert.equal(attributeType(true), 'bool');
  assert.equal(attributeType(new Uint8Array([1])), 'bytes');
  assert.equal(attributeType([1n, 'a']), 'array');
  assert.equal(attributeType({ kvlist: { a: 1n } }), 'kvlist');
  assert.equal(attributeType(null), 'empty');
});

test('64-bit trace ids are left-padded and printed short, as Jaeger does', () => {
  assert.equal(normalizeTraceId('ABCDEF0123456789'), '0000000000000000abcdef0123456789');
  assert.equal(jaegerTraceId('0000000000000000abcdef0123456789'), 'abcdef0123456789');
  assert.equal(jaegerTraceId('1000000000000000abcdef0123456789'), '1000000000000000abcdef0123456789');
  assert.equal(normalizeTraceId('xyz'), undefined);
  assert.equal(normalizeTraceId('1'.repeat(33)), undefined);
});

test('durations parse the way Go writes them', () => {
  assert.equal(parseDuration('1.5s'), 1_500_000_000n);
  assert.equal(parseDuration('250ms'), 250_000_000n);
  assert.equal(parseDuration('100us'), 100_000n);
  assert.equal(parseDuration('1h30m'), 5_400_000_000_000n);
  assert.equal(parseDuration('12'), undefined);
  assert.equal(parseDuration('1sx'), undefined);
});

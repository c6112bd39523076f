import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goJsonText, goTimeString, toJaegerTag, toJaegerTags } from '../src/jaeger/index.ts';

test('scalars keep their Jaeger type', () => {
  assert.deepEqual(toJaegerTag('s', 'x'), { key: 's', type: 'string', value: 'x' });
  assert.deepEqual(toJaegerTag('b', true), { key: 'b', type: 'bool', value: true });
  assert.deepEqual(toJaegerTag('i', 42n), { key: 'i', type: 'int64', value: 42 });
  assert.deepEqual(toJaegerTag('i', -7n), { key: 'i', type: 'int64', value: -7 });
  assert.deepEqual(toJaegerTag('d', 2.5), { key: 'd', type: 'float64', value: 2.5 });
  assert.deepEqual(toJaegerTag('d', 3), { key: 'd', type: 'float64', value: 3 });
});

test('int64 beyond ±(2^53−1) becomes a decimal string, as Jaeger writes it', () => {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  assert.deepEqual(toJaegerTag('i', max), { key: 'i', type: 'int64', value: Number.MAX_SAFE_INTEGER });
  assert.deepEqual(toJaegerTag('i', -max), { key: 'i', type: 'int64', value: -Number.MAX_SAFE_INTEGER });
  assert.deepEqual(toJaegerTag('i', max + 1n), { key: 'i', type: 'int64', value: '9007199254740992' });
  assert.deepEqual(toJaegerTag('i', -(2n ** 63n)), {
    key: 'i',
    type: 'int64',
    value: '-9223372036854775808',
  });
});

test('bytes are binary tags in base64', () => {
  assert.deepEqual(toJaegerTag('x', new Uint8Array([0xff, 0, 1])), {
    key: 'x',
    type: 'binary',
    value: '/wAB',
  });
  assert.deepEqual(toJaegerTag('x', new Uint8Array()), { key: 'x', type: 'binary', value: '' });
});

test('an empty value is an empty string tag', () => {
  assert.deepEqual(toJaegerTag('e', null), { key: 'e', type: 'string', value: '' });
});

test('arrays and kvlists are string tags holding Go JSON', () => {
  assert.deepEqual(toJaegerTag('a', ['x', 1n, 2.5, false, null]), {
    key: 'a',
    type: 'string',
    value: '["x",1,2.5,false,null]',
  });
  assert.deepEqual(toJaegerTag('m', { kvlist: { b: 1n, a: { kvlist: { z: [] } } } }), {
    key: 'm',
    type: 'string',
    value: '{"a":{"z":[]},"b":1}',
  });
});

test('Go JSON: exact ints, base64 bytes, HTML escapes, ES6 floats, failures as empty text', () => {
  assert.equal(goJsonText([9223372036854775807n]), '[9223372036854775807]');
  assert.equal(goJsonText([new Uint8Array([104, 105])]), '["aGk="]');
  assert.equal(goJsonText(['<a href="x">&</a>']), '["\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"]');
  assert.equal(goJsonText(['line\nbreak\u2028\u0001']), '["line\\nbreak\\u2028\\u0001"]');
  assert.equal(goJsonText(['\ud800']), '["\ufffd"]');
  assert.equal(
    goJsonText([1e21, 1e-7, 0.000001, 123456789.125, -0]),
    '[1e+21,1e-7,0.000001,123456789.125,-0]',
  );
  assert.equal(goJsonText([1, Number.NaN]), '');
  assert.equal(goJsonText({ kvlist: { x: Number.POSITIVE_INFINITY } }), '');
  assert.equal(goJsonText({ kvlist: {} }), '{}');
});

test('tags are sorted by key in UTF-8 byte order, with an optional key left out', () => {
  const tags = toJaegerTags(
    { b: 'x', 'service.name': 's', a: 'y', '\u{1F600}': 'e', '\uFFFD': 'f' },
    'service.name',
  );
  assert.deepEqual(
    tags.map((t) => t.key),
    ['a', 'b', '\uFFFD', '\u{1F600}'],
  );
});

test('times print like Go time.Time.String in UTC', () => {
  assert.equal(goTimeString(1706678909209712000n), '2024-01-31 05:28:29.209712 +0000 UTC');
  assert.equal(goTimeString(1706678909000000000n), '2024-01-31 05:28:29 +0000 UTC');
  assert.equal(goTimeString(1706678909000000001n), '2024-01-31 05:28:29.000000001 +0000 UTC');
});

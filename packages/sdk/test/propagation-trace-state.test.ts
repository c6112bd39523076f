import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidTraceStateKey, isValidTraceStateValue, TraceState } from '../src/propagation/index.ts';

// Every character the key and value grammars allow.
const LCALPHA = 'abcdefghijklmnopqrstuvwxyz';
const KEY_ALL = `${LCALPHA}0123456789_-*/`;
const VALUE_ALL = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',' && c !== '=')
  .join('');

describe('tracestate keys', () => {
  const valid = [
    'a',
    'foo',
    KEY_ALL,
    'z'.repeat(256),
    'congo@t61',
    '0tenant@sys',
    `${KEY_ALL}@a-z0-9_-*/`,
    `${'t'.repeat(241)}@${'v'.repeat(14)}`,
    'a@b',
  ];
  const invalid = [
    '',
    'z'.repeat(257),
    '0simple', // a simple key starts with a letter
    '_foo',
    'FOO',
    'fOo',
    'foo ',
    ' foo',
    'foo.bar',
    'foo=bar',
    'foo@', // system id missing
    '@foo', // tenant id missing
    'foo@@bar',
    'foo@bar@baz',
    'foo@0bar', // system id starts with a letter
    `${'t'.repeat(242)}@v`,
    `t@${'v'.repeat(15)}`,
    'café',
  ];
  for (const key of valid)
    test(`valid: ${key.slice(0, 40)} (${key.length})`, () => assert.ok(isValidTraceStateKey(key)));
  for (const key of invalid) {
    test(`invalid: ${JSON.stringify(key.slice(0, 40))} (${key.length})`, () =>
      assert.ok(!isValidTraceStateKey(key)));
  }
});

describe('tracestate values', () => {
  const valid = [VALUE_ALL.trimEnd(), 'x', ' leading', 'a b', '~'.repeat(256), 't61rcWkgMzE'];
  const invalid = ['', ' ', 'trailing ', 'a,b', 'a=b', 'tab\there', 'nl\n', 'é', '~'.repeat(257), '\x7f'];
  for (const value of valid)
    test(`valid: ${JSON.stringify(value.slice(0, 30))}`, () => assert.ok(isValidTraceStateValue(value)));
  for (const value of invalid) {
    test(`invalid: ${JSON.stringify(value.slice(0, 30))}`, () => assert.ok(!isValidTraceStateValue(value)));
  }
});

describe('TraceState.parse', () => {
  test('keeps members in order', () => {
    const state = TraceState.parse('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    assert.equal(state?.get('rojo'), '00f067aa0ba902b7');
    assert.equal(state?.get('congo'), 't61rcWkgMzE');
    assert.equal(state?.serialize(), 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  test('all allowed characters in key and value', () => {
    const value = VALUE_ALL.trimEnd();
    assert.equal(TraceState.parse(`${KEY_ALL}=${value}`)?.get(KEY_ALL), value);
  });

  test('OWS around members is ignored', () => {
    for (const header of ['foo=1 \t , \t bar=2, \t baz=3', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3']) {
      assert.equal(TraceState.parse(header)?.serialize(), 'foo=1,bar=2,baz=3');
    }
    for (const header of [' foo=1', '\tfoo=1', 'foo=1 ', 'foo=1\t', '\t foo=1 \t']) {
      assert.equal(TraceState.parse(header)?.get('foo'), '1', JSON.stringify(header));
    }
  });

  test('leading spaces of a value are part of it', () => {
    assert.equal(TraceState.parse('foo=  bar')?.get('foo'), '  bar');
  });

  test('empty and whitespace-only members are skipped', () => {
    assert.equal(TraceState.parse('')?.size, 0);
    assert.equal(TraceState.parse(' , \t,')?.size, 0);
    assert.equal(TraceState.parse('foo=1,,  ,bar=2,')?.serialize(), 'foo=1,bar=2');
  });

  test('an array of headers is combined with commas', () => {
    assert.equal(TraceState.parse(['foo=1', '', 'bar=2'])?.serialize(), 'foo=1,bar=2');
  });

  test('one malformed member discards the whole header', () => {
    for (const header of [
      'foo=bar=baz',
      'foo=,bar=3',
      'foo =1',
      'FOO=1',
      'foo.bar=1',
      'foo@=1,bar=2',
      '@foo=1,bar=2',
      'foo,bar=2',
      '=1',
      'foo=1\n',
      `foo=1,${'z'.repeat(257)}=1`,
      `foo=1,t@${'v'.repeat(15)}=1`,
    ]) {
      assert.equal(TraceState.parse(header), undefined, JSON.stringify(header));
    }
  });

  test('duplicate keys discard the whole header (Level 1)', () => {
    assert.equal(TraceState.parse('foo=1,foo=1'), undefined);
    assert.equal(TraceState.parse('foo=1,bar=2,foo=2'), undefined);
    assert.equal(TraceState.parse(['foo=1', 'foo=2']), undefined);
  });

  test('32 members are fine, 33 discard the header, empty members do not count', () => {
    const members = Array.from({ length: 33 }, (_, i) => `k${i}=${i}`);
    assert.equal(TraceState.parse(members.slice(0, 32).join(','))?.size, 32);
    assert.equal(TraceState.parse(members.slice(0, 32).join(',,'))?.size, 32);
    assert.equal(TraceState.parse(members.join(',')), undefined);
  });

  test('the constructor gives an empty state for an invalid header', () => {
    assert.equal(new TraceState('foo=1,foo=2').serialize(), '');
    assert.equal(new TraceState('foo=1').serialize(), 'foo=1');
    assert.equal(new TraceState().size, 0);
  });
});

describe('TraceState mutations', () => {
  const base = new TraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');

  test('set adds to the front and is immutable', () => {
    const next = base.set('new', 'v');
    assert.notEqual(next, base);
    assert.equal(next.serialize(), 'new=v,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    assert.equal(base.serialize(), 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  test('updating a key moves it to the front', () => {
    assert.equal(base.set('congo', 'ucfJifl5GOE').serialize(), 'congo=ucfJifl5GOE,rojo=00f067aa0ba902b7');
  });

  test('set with an invalid key or value changes nothing', () => {
    assert.equal(base.set('Bad', 'v'), base);
    assert.equal(base.set('ok', 'a,b'), base);
    assert.equal(base.set('ok', ''), base);
  });

  test('adding a 33rd member drops the right-most one', () => {
    let state = new TraceState();
    for (let i = 0; i < 32; i++) state = state.set(`k${i}`, String(i));
    assert.equal(state.size, 32);
    const next = state.set('new', 'x');
    assert.equal(next.size, 32);
    assert.equal(next.get('new'), 'x');
    assert.equal(next.get('k0'), undefined); // k0 was set first, so it is right-most
    assert.equal(next.get('k31'), '31');
  });

  test('unset removes the key and nothing else', () => {
    const next = base.unset('rojo');
    assert.equal(next.serialize(), 'congo=t61rcWkgMzE');
    assert.equal(base.get('rojo'), '00f067aa0ba902b7');
    assert.equal(base.unset('absent').serialize(), base.serialize());
  });

  test('get of an absent key', () => {
    assert.equal(base.get('absent'), undefined);
  });
});

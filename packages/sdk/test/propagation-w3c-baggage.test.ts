import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Baggage, BaggageEntry, Context } from '@opentelemetry/api';
import {
  baggageEntryMetadataFromString,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
} from '@opentelemetry/api';
import {
  BAGGAGE_MAX_ENTRIES,
  BAGGAGE_MAX_TOTAL_BYTES,
  percentDecode,
  percentEncode,
  W3CBaggagePropagator,
} from '../src/propagation/index.ts';
import { suppressTracing } from '../src/suppress.ts';

const propagator = new W3CBaggagePropagator();
type Carrier = Record<string, string | string[]>;

function extract(header: string | string[] | undefined, ctx: Context = ROOT_CONTEXT): Baggage | undefined {
  const carrier: Carrier = header === undefined ? {} : { baggage: header };
  return propagation.getBaggage(propagator.extract(ctx, carrier, defaultTextMapGetter));
}

/** key → value, and key → metadata string where there is one. */
function flat(baggage: Baggage | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of baggage?.getAllEntries() ?? []) {
    out[key] = entry.value;
    if (entry.metadata !== undefined) out[`${key};`] = entry.metadata.toString();
  }
  return out;
}

function inject(entries: Record<string, BaggageEntry>, ctx: Context = ROOT_CONTEXT): Carrier {
  const carrier: Carrier = {};
  propagator.inject(
    propagation.setBaggage(ctx, propagation.createBaggage(entries)),
    carrier,
    defaultTextMapSetter,
  );
  return carrier;
}

describe('W3CBaggagePropagator.extract', () => {
  test('the spec example with properties and OWS', () => {
    const header = 'key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue';
    assert.deepEqual(flat(extract(header)), {
      key1: 'value1',
      'key1;': 'property1;property2',
      key2: 'value2',
      key3: 'value3',
      'key3;': 'propertyKey=propertyValue',
    });
  });

  test('percent-encoded values are decoded as UTF-8', () => {
    assert.deepEqual(flat(extract('userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false')), {
      userId: 'Amélie',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
    assert.equal(extract('p=100%25')?.getEntry('p')?.value, '100%');
  });

  test('bytes that are not UTF-8 become U+FFFD', () => {
    assert.equal(extract('k=%FF')?.getEntry('k')?.value, '\uFFFD');
    assert.equal(extract('k=a%C3')?.getEntry('k')?.value, 'a\uFFFD');
    assert.equal(extract('k=%E2%82x')?.getEntry('k')?.value, '\uFFFDx');
  });

  test('a leading BOM in a value is kept', () => {
    assert.equal(extract('k=%EF%BB%BFx')?.getEntry('k')?.value, '\uFEFFx');
  });

  test('a % that starts no escape is kept literally', () => {
    assert.equal(extract('k=%zz%4')?.getEntry('k')?.value, '%zz%4');
  });

  test('multiple headers are one baggage-string', () => {
    assert.deepEqual(flat(extract(['userId=alice', 'serverNode=DF%2028,isProduction=false'])), {
      userId: 'alice',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
    assert.deepEqual(flat(extract(['userId =   alice', 'serverNode = DF%2028, isProduction = false'])), {
      userId: 'alice',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
  });

  test('values may contain "=" and may be empty', () => {
    assert.deepEqual(flat(extract('k=a=b==,e=')), { k: 'a=b==', e: '' });
  });

  test('invalid members are skipped, valid ones kept', () => {
    const header = [
      'good=1',
      'bad key=2', // space in key
      '"q"=3', // '"' is not a token character
      'noequals',
      'k=va lue', // space inside a value
      'k2=a\\b', // backslash
      'k3=a"b', // DQUOTE
      '=v', // empty key
      'p=1;bad prop', // malformed property
      'p2=1;x=a b', // malformed property value
      'ok=2;flag',
    ].join(',');
    assert.deepEqual(flat(extract(header)), { good: '1', ok: '2', 'ok;': 'flag' });
  });

  test('empty members and stray separators are tolerated', () => {
    assert.deepEqual(flat(extract(' , a=1,,b=2;, ')), { a: '1', b: '2' });
  });

  test('a repeated key keeps its last value', () => {
    const entries = extract('k=1,j=0,k=2')?.getAllEntries();
    assert.deepEqual(
      entries?.map(([key, entry]) => [key, entry.value]),
      [
        ['j', '0'],
        ['k', '2'],
      ],
    );
  });

  test('__proto__ is an ordinary key', () => {
    assert.equal(extract('__proto__=x')?.getEntry('__proto__')?.value, 'x');
  });

  test('nothing valid leaves the context as it was', () => {
    const ctx = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ old: { value: '1' } }));
    for (const header of [undefined, '', 'bad key=1', ' , ']) {
      const carrier: Carrier = header === undefined ? {} : { baggage: header };
      assert.equal(propagator.extract(ctx, carrier, defaultTextMapGetter), ctx);
    }
  });

  test('at most 180 entries are taken, the first ones', () => {
    const header = Array.from({ length: 200 }, (_, i) => `k${i}=${i}`).join(',');
    const baggage = extract(header);
    assert.equal(baggage?.getAllEntries().length, BAGGAGE_MAX_ENTRIES);
    assert.equal(baggage?.getEntry('k179')?.value, '179');
    assert.equal(baggage?.getEntry('k180'), undefined);
  });

  test('a member over 4096 bytes is dropped, the rest kept', () => {
    const big = `big=${'x'.repeat(4093)}`; // 4097 bytes
    const edge = `edge=${'y'.repeat(4091)}`; // 4096 bytes
    assert.deepEqual(Object.keys(flat(extract(`a=1,${big},${edge},b=2`))), ['a', 'edge', 'b']);
  });

  test('members that would pass 8192 bytes in total are dropped', () => {
    const m = (k: string) => `${k}=${'v'.repeat(2998)}`; // 3000 bytes each
    const baggage = extract([m('m1'), m('m2'), m('m3'), 'small=1'].join(','));
    assert.deepEqual(Object.keys(flat(baggage)), ['m1', 'm2', 'small']);
  });
});

describe('W3CBaggagePropagator.inject', () => {
  test('percent-encodes what is not a baggage-octet, and %', () => {
    const carrier = inject({
      userId: { value: 'Amélie' },
      serverNode: { value: 'DF 28' },
      isProduction: { value: 'false' },
    });
    assert.deepEqual(carrier, { baggage: 'userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false' });
    assert.equal(inject({ k: { value: '100% ,;"\\=ok' } }).baggage, 'k=100%25%20%2C%3B%22%5C=ok');
    assert.equal(inject({ k: { value: '🙂' } }).baggage, 'k=%F0%9F%99%82');
  });

  test('metadata is appended after ";"', () => {
    const carrier = inject({
      key1: { value: 'value1', metadata: baggageEntryMetadataFromString('property1;p=v') },
    });
    assert.equal(carrier.baggage, 'key1=value1;property1;p=v');
  });

  test('malformed metadata is dropped, the entry kept', () => {
    const carrier = inject({ k: { value: 'v', metadata: baggageEntryMetadataFromString('a,b') } });
    assert.equal(carrier.baggage, 'k=v');
  });

  test('entries whose key is not a token are skipped', () => {
    assert.equal(
      inject({ 'bad key': { value: '1' }, ok: { value: '2' }, é: { value: '3' } }).baggage,
      'ok=2',
    );
  });

  test('nothing without baggage, with empty baggage, or when suppressed', () => {
    const carrier: Carrier = {};
    propagator.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, {});
    assert.deepEqual(inject({}), {});
    assert.deepEqual(inject({ a: { value: '1' } }, suppressTracing(ROOT_CONTEXT)), {});
  });

  test('limits: 180 entries, 4096 bytes a member, 8192 in all', () => {
    const many: Record<string, BaggageEntry> = {};
    for (let i = 0; i < 200; i++) many[`k${i}`] = { value: String(i) };
    assert.equal(inject(many).baggage.toString().split(',').length, BAGGAGE_MAX_ENTRIES);

    const sized = inject({
      huge: { value: 'x'.repeat(4092) }, // 4097 bytes encoded
      a: { value: 'a'.repeat(3000) },
      b: { value: 'b'.repeat(3000) },
      c: { value: 'c'.repeat(3000) }, // would pass 8192
      d: { value: 'd' },
    }).baggage as string;
    assert.deepEqual(
      sized.split(',').map((m) => m.split('=')[0]),
      ['a', 'b', 'd'],
    );
    assert.ok(sized.length <= BAGGAGE_MAX_TOTAL_BYTES);
  });

  test('limits count encoded bytes', () => {
    // 1000 × 'é' is 2000 UTF-8 bytes but 6000 on the wire (%C3%A9 each): over 4096.
    const carrier = inject({ big: { value: 'é'.repeat(1000) } });
    assert.equal(carrier.baggage, undefined);
  });

  test('round trip', () => {
    const entries = {
      user: { value: 'Amélie Ü 100%' },
      q: { value: 'a=b; c,d "e"' },
      m: { value: 'x', metadata: baggageEntryMetadataFromString('p1;p2=v2') },
      empty: { value: '' },
    };
    const back = extract(inject(entries).baggage);
    assert.deepEqual(flat(back), {
      user: 'Amélie Ü 100%',
      q: 'a=b; c,d "e"',
      m: 'x',
      'm;': 'p1;p2=v2',
      empty: '',
    });
  });

  test('fields', () => {
    assert.deepEqual(propagator.fields(), ['baggage']);
  });
});

describe('percent encoding', () => {
  test('encode and decode are inverse for any string of scalar values', () => {
    const samples = ['', 'plain', ' ', '%', '%%25', 'ü', '日本', '🙂x', '\u0000\u007f', 'a\\b"c,d;e'];
    for (const s of samples) assert.equal(percentDecode(percentEncode(s)), s, JSON.stringify(s));
  });

  test('encoding uses uppercase hex and leaves baggage-octets alone', () => {
    assert.equal(percentEncode('ÿ'), '%C3%BF');
    assert.equal(percentEncode("!#$&'()*+-./:<=>?@[]^_`{|}~"), "!#$&'()*+-./:<=>?@[]^_`{|}~");
  });

  test('decoding accepts lowercase hex', () => {
    assert.equal(percentDecode('%c3%a9'), 'é');
  });
});

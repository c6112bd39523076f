import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindLiterals, StorageError, stringLiteral } from '../src/index.ts';
import { parseStorageAddress } from '../src/storage-url.ts';

test('string literals escape quotes, backslashes and control bytes', () => {
  assert.equal(stringLiteral("it's"), "'it\\'s'");
  assert.equal(stringLiteral('a\\b'), "'a\\\\b'");
  assert.equal(stringLiteral('x\n\ny\u0000'), "'x\\x0a\\x0ay\\x00'");
  assert.equal(stringLiteral('現場'), "'現場'");
});

test('placeholders become typed literals; wrong shapes and unknown types are refused', () => {
  assert.equal(
    bindLiterals('a = {s:String} AND b >= {n:Int64} AND has({l:Array(String)}, c)', {
      s: "' OR 1=1 --",
      n: 5n,
      l: ['x'],
    }),
    "a = '\\' OR 1=1 --' AND b >= 5 AND has(['x'], c)",
  );
  assert.equal(bindLiterals('{l:Array(String)}', { l: [] }), 'CAST([] AS Array(String))');
  assert.throws(() => bindLiterals('{n:Int64}', { n: '1; DROP TABLE spans' }), StorageError);
  assert.throws(() => bindLiterals('{n:UInt32}', { n: -1 }), /must not be negative/);
  assert.throws(() => bindLiterals('{n:Int64}', { n: 1.5 }), /integer/);
  assert.throws(() => bindLiterals('{s:String}', {}), /missing/);
  assert.throws(() => bindLiterals('{s:Float64}', { s: 1 }), /unsupported type/);
});

test('--storage addresses: a server, a cluster, credentials, and clear refusals', () => {
  assert.deepEqual(parseStorageAddress('clickhouse://127.0.0.1:8123/traces'), {
    kind: 'server',
    urls: ['http://127.0.0.1:8123'],
    database: 'traces',
    user: undefined,
    password: undefined,
  });
  const c = parseStorageAddress('clickhouse+cluster://u:p%40ss@ch1:8123,ch2/db?cluster=prod');
  assert.deepEqual(c.urls, ['http://ch1:8123', 'http://ch2:8123']);
  assert.equal(c.cluster, 'prod');
  assert.equal(c.password, 'p@ss');
  assert.equal(parseStorageAddress('clickhouses://h:8443').urls[0], 'https://h:8443');
  assert.equal(parseStorageAddress('clickhouse://h').database, 'genba');
  assert.throws(() => parseStorageAddress('postgres://h/db'), /expected embedded/);
  assert.throws(() => parseStorageAddress('clickhouse://h/db;DROP'), /invalid database name/);
  assert.throws(() => parseStorageAddress('clickhouse+cluster://a,b/db'), /cluster name/);
  assert.throws(() => parseStorageAddress('clickhouse://a,b/db'), /one host/);
});

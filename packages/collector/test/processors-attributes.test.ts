import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Attributes, Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';
import type { ComponentContext } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import {
  attributesProcessorConfig,
  createAttributesProcessor,
} from '../src/processors/attributes-processor.ts';
import type { SpanConsumer } from '../src/span-consumer.ts';

function context(): ComponentContext {
  return { metrics: new Metrics(), log: { warn() {}, info() {} } };
}

function span(name: string, attributes: Attributes, service = 'checkout'): Span {
  const resource = { ...emptyResource(), attributes: { 'service.name': service } };
  const s = emptySpan(resource, emptyScope());
  s.name = name;
  s.attributes = attributes;
  return s;
}

/** Runs the processor over the spans and returns what reached the next stage. */
async function run(raw: Record<string, unknown>, spans: Span[]): Promise<Span[]> {
  const out: Span[] = [];
  const next: SpanConsumer = {
    async consume(s) {
      out.push(...s);
    },
  };
  await createAttributesProcessor(attributesProcessorConfig.parse(raw), next, context()).consume(spans);
  return out;
}

async function attrsAfter(actions: unknown[], attributes: Attributes, extra: Record<string, unknown> = {}) {
  const [s] = await run({ actions, ...extra }, [span('op', attributes)]);
  return s.attributes;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('attributes processor', () => {
  test('insert adds only missing keys, update changes only present keys, upsert does both', async () => {
    const actions = [
      { key: 'account_id', value: 2245, action: 'insert' },
      { key: 'region', value: 'eu', action: 'insert' },
      { key: 'ratio', value: 0.5, action: 'update' },
      { key: 'absent', value: 'x', action: 'update' },
      { key: 'redacted', value: true, action: 'upsert' },
      { key: 'tier', value: 'gold', action: 'UPSERT' },
    ];
    const a = await attrsAfter(actions, { region: 'us', ratio: 1n, tier: 'silver' });
    assert.deepEqual(a, { region: 'us', ratio: 0.5, tier: 'gold', account_id: 2245n, redacted: true });
    assert.equal(typeof a.account_id, 'bigint', 'a whole number from config is an int');
    assert.equal(typeof a.ratio, 'number', 'a fraction is a double');
  });

  test('from_attribute copies a value, does nothing when the source is missing, default_value fills in', async () => {
    const actions = [
      { key: 'copy', from_attribute: 'original', action: 'insert' },
      { key: 'nothing', from_attribute: 'missing', action: 'upsert' },
      { key: 'region', from_attribute: 'cloud.region', default_value: 'us-east-1', action: 'insert' },
    ];
    const a = await attrsAfter(actions, { original: 42n });
    assert.deepEqual(a, { original: 42n, copy: 42n, region: 'us-east-1' });
  });

  test('an array value from config is copied per span, never shared', async () => {
    const out = await run({ actions: [{ key: 'tags', value: ['a', 'b'], action: 'insert' }] }, [
      span('one', {}),
      span('two', {}),
    ]);
    assert.deepEqual(out[0].attributes.tags, ['a', 'b']);
    assert.notEqual(out[0].attributes.tags, out[1].attributes.tags);
  });

  test('delete removes the key and every key matching pattern', async () => {
    const a = await attrsAfter(
      [
        { key: 'db.table', action: 'delete' },
        { pattern: '^password', action: 'delete' },
      ],
      { 'db.table': 'users', password: 'x', password_hint: 'y', user: 'ann' },
    );
    assert.deepEqual(a, { user: 'ann' });
  });

  test('hash: SHA-256 hex over the bytes the Collector hashes, keeping the key', async () => {
    const int24 = Buffer.from([24, 0, 0, 0, 0, 0, 0, 0]);
    const double = Buffer.alloc(8);
    new DataView(double.buffer).setFloat64(0, 2.4, true);
    const a = await attrsAfter(
      [
        { action: 'hash', pattern: '^h\\.' },
        { key: 'email', action: 'hash' },
      ],
      {
        email: 'foo',
        'h.int': 24n,
        'h.double': 2.4,
        'h.true': true,
        'h.bytes': new Uint8Array([1, 2]),
        kept: 'foo',
      },
    );
    assert.equal(a.email, '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae');
    assert.equal(a['h.int'], sha256(int24));
    assert.equal(a['h.double'], sha256(double));
    assert.equal(a['h.true'], sha256(Buffer.from([1])));
    assert.equal(a['h.bytes'], '', 'types the Collector does not hash become empty');
    assert.equal(a.kept, 'foo');
  });

  test('hash_algorithm sha1 gives the older Collectors’ digests', async () => {
    const a = await attrsAfter(
      [{ key: 'email', action: 'hash' }],
      { email: 'foo' },
      { hash_algorithm: 'sha1' },
    );
    assert.equal(a.email, '0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33');
  });

  test('extract writes named groups (Go’s (?P<name>) spelling accepted) and leaves the source', async () => {
    const actions = [
      { key: 'http.url', pattern: '^/api/(?P<version>v\\d+)/users/(?<user_id>\\d+)', action: 'extract' },
    ];
    const a = await attrsAfter(actions, { 'http.url': '/api/v2/users/991?x=1', version: 'old' });
    assert.deepEqual(a, { 'http.url': '/api/v2/users/991?x=1', version: 'v2', user_id: '991' });
    const untouched = await attrsAfter(actions, { 'http.url': 12n });
    assert.deepEqual(untouched, { 'http.url': 12n }, 'only strings are extracted from');
    const noMatch = await attrsAfter(actions, { 'http.url': '/health' });
    assert.deepEqual(noMatch, { 'http.url': '/health' });
  });

  test('convert to int, double and string keeps Genba’s types; unconvertible values stay', async () => {
    const a = await attrsAfter(
      [
        { key: 'code', action: 'convert', converted_type: 'int' },
        { key: 'float_to_int', action: 'convert', converted_type: 'int' },
        { key: 'bad_int', action: 'convert', converted_type: 'int' },
        { key: 'too_big', action: 'convert', converted_type: 'int' },
        { key: 'ratio', action: 'convert', converted_type: 'double' },
        { key: 'int_to_double', action: 'convert', converted_type: 'double' },
        { key: 'flag', action: 'convert', converted_type: 'string' },
        { key: 'count', action: 'convert', converted_type: 'string' },
        { key: 'missing', action: 'convert', converted_type: 'string' },
      ],
      {
        code: '200',
        float_to_int: -3.9,
        bad_int: '2xx',
        too_big: '9223372036854775808',
        ratio: '1.5e2',
        int_to_double: 7n,
        flag: true,
        count: 12n,
      },
    );
    assert.deepEqual(a, {
      code: 200n,
      float_to_int: -3n,
      bad_int: '2xx',
      too_big: '9223372036854775808',
      ratio: 150,
      int_to_double: 7,
      flag: 'true',
      count: '12',
    });
  });

  test('include and exclude choose the spans the actions apply to', async () => {
    const config = {
      actions: [{ key: 'touched', value: true, action: 'insert' }],
      include: { match_type: 'strict', services: ['checkout', 'cart'], attributes: [{ key: 'http.method' }] },
      exclude: { match_type: 'regexp', span_names: ['^health'] },
    };
    const out = await run(config, [
      span('GET /buy', { 'http.method': 'GET' }),
      span('health check', { 'http.method': 'GET' }),
      span('GET /buy', { 'http.method': 'GET' }, 'search'),
      span('GET /buy', {}),
    ]);
    assert.deepEqual(
      out.map((s) => s.attributes.touched === true),
      [true, false, false, false],
    );
  });

  test('strict attribute matching compares ints and doubles by value; regexp matches anywhere', async () => {
    const strict = {
      actions: [{ key: 'hit', value: true, action: 'insert' }],
      include: { match_type: 'strict', attributes: [{ key: 'http.status_code', value: 500 }] },
    };
    const out = await run(strict, [
      span('a', { 'http.status_code': 500n }),
      span('b', { 'http.status_code': 500 }),
      span('c', { 'http.status_code': '500' }),
    ]);
    assert.deepEqual(
      out.map((s) => s.attributes.hit === true),
      [true, true, false],
    );
    const regexp = {
      actions: [{ key: 'hit', value: true, action: 'insert' }],
      include: { match_type: 'regexp', attributes: [{ key: 'db.statement', value: 'DROP' }] },
    };
    const out2 = await run(regexp, [
      span('a', { 'db.statement': 'x; DROP TABLE t' }),
      span('b', { 'db.statement': 'SELECT' }),
    ]);
    assert.deepEqual(
      out2.map((s) => s.attributes.hit === true),
      [true, false],
    );
  });

  test('the key __proto__ becomes an ordinary attribute', async () => {
    const a = await attrsAfter([{ key: '__proto__', value: 'x', action: 'upsert' }], {});
    assert.equal(Object.getPrototypeOf(a), Object.prototype);
    assert.deepEqual(Object.keys(a), ['__proto__']);
  });

  describe('config errors name the key', () => {
    const problems = (raw: unknown) => {
      const r = attributesProcessorConfig.safeParse(raw);
      assert.equal(r.success, false, 'should be refused');
      return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };

    test('invalid regexps', () => {
      assert.match(
        problems({ actions: [{ pattern: '(', action: 'delete' }] })[0],
        /^actions\.0\.pattern: invalid regexp "\("/,
      );
      assert.match(
        problems({
          actions: [{ key: 'a', value: 1, action: 'insert' }],
          include: { match_type: 'regexp', services: ['[a-'] },
        })[0],
        /^include\.services\.0: invalid regexp/,
      );
    });
    test('extract patterns need named groups only', () => {
      assert.match(
        problems({ actions: [{ key: 'u', pattern: '^(\\d+)$', action: 'extract' }] })[0],
        /^actions\.0\.pattern: .*no named groups/,
      );
      assert.match(
        problems({ actions: [{ key: 'u', pattern: '^(?<a>\\d+)-(\\d+)$', action: 'extract' }] })[0],
        /^actions\.0\.pattern: every group .* must be named/,
      );
      assert.match(problems({ actions: [{ key: 'u', action: 'extract' }] })[0], /^actions\.0\.pattern: /);
    });
    test('value sources', () => {
      assert.match(
        problems({ actions: [{ key: 'k', action: 'insert' }] })[0],
        /^actions\.0\.value: .*needs one of value or from_attribute/,
      );
      assert.match(
        problems({ actions: [{ key: 'k', value: 1, from_attribute: 'x', action: 'upsert' }] })[0],
        /^actions\.0\.from_attribute: set only one/,
      );
      assert.match(
        problems({ actions: [{ key: 'k', from_context: 'metadata.tenant', action: 'insert' }] })[0],
        /^actions\.0\.from_context: from_context is not supported/,
      );
      assert.match(
        problems({ actions: [{ key: 'k', value: 1, action: 'delete' }] })[0],
        /^actions\.0\.value: action "delete" does not use value/,
      );
    });
    test('keys, actions and types', () => {
      assert.match(problems({ actions: [{ value: 1, action: 'insert' }] })[0], /^actions\.0\.key: /);
      assert.match(problems({ actions: [{ action: 'hash' }] })[0], /^actions\.0\.key: .*key and\/or pattern/);
      assert.match(
        problems({ actions: [{ key: 'k', action: 'rename' }] })[0],
        /^actions\.0\.action: action must be one of/,
      );
      assert.match(
        problems({ actions: [{ key: 'k', action: 'convert' }] })[0],
        /^actions\.0\.converted_type: /,
      );
      assert.match(
        problems({ actions: [{ key: 'k', action: 'convert', converted_type: 'bool' }] })[0],
        /^actions\.0\.converted_type: /,
      );
      assert.match(problems({ actions: [] })[0], /^actions: list at least one action/);
      assert.match(
        problems({ actions: [{ key: 'k', action: 'delete' }], include: { match_type: 'strict' } })[0],
        /^include\.match_type: name at least one of services, span_names or attributes/,
      );
      assert.match(
        problems({
          actions: [{ key: 'k', action: 'delete' }],
          include: { match_type: 'strict', span_kinds: ['SERVER'] },
        })[0],
        /span_kinds/,
      );
    });
  });
});

import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { tracedCache } from '../src/helpers/index.ts';
import { setupTracing } from './support/otel-setup.ts';

const tracing = setupTracing();
after(() => tracing.shutdown());
beforeEach(() => tracing.reset());

function countingLoader<K, V>(load: (key: K) => V | Promise<V>) {
  const loaded: K[] = [];
  const loader = async (key: K) => {
    loaded.push(key);
    return load(key);
  };
  return { loader, loaded };
}

describe('tracedCache', () => {
  test('a miss loads in a child span and stores; the next get is a hit', async () => {
    const store = new Map<string, string>();
    const { loader, loaded } = countingLoader((k: string) => `user:${k}`);
    const users = tracedCache('users', store, loader);

    assert.equal(await users.get('42'), 'user:42');
    assert.equal(store.get('42'), 'user:42');
    assert.equal(await users.get('42'), 'user:42');
    assert.deepEqual(loaded, ['42']);

    const spans = tracing.finished();
    assert.deepEqual(
      spans.map((s) => s.name),
      ['cache.load users', 'cache users', 'cache users'],
    );
    const [load, miss, hit] = spans;
    assert.equal(load.parentSpanId, miss.spanId);
    assert.deepEqual(miss.attributes, { 'cache.name': 'users', 'cache.hit': false });
    assert.deepEqual(hit.attributes, { 'cache.name': 'users', 'cache.hit': true });
    assert.equal(load.attributes['cache.name'], 'users');
    assert.equal(miss.kind, 1);
    assert.equal(hit.status.code, 0);
  });

  test('keys are recorded only with recordKeys', async () => {
    const withKeys = tracedCache('k', new Map<unknown, number>(), () => 1, { recordKeys: true });
    await withKeys.get('alice@example.com');
    await withKeys.get({ tenant: 7 });
    await withKeys.get(12);
    assert.deepEqual(
      tracing
        .finished()
        .filter((s) => s.name === 'cache k')
        .map((s) => s.attributes['cache.key']),
      ['alice@example.com', '{"tenant":7}', 12],
    );
    tracing.reset();
    await tracedCache('quiet', new Map(), () => 1).get('secret-token');
    assert.ok(tracing.finished().every((s) => !('cache.key' in s.attributes)));
  });

  test('a failing loader is recorded on both spans, rethrown, and nothing is stored', async () => {
    const store = new Map<string, number>();
    let fail = true;
    const failure = new Error('db down');
    const cache = tracedCache('prices', store, async () => {
      if (fail) throw failure;
      return 9;
    });
    await assert.rejects(cache.get('x'), (err) => err === failure);
    assert.equal(store.has('x'), false);
    const [load, outer] = tracing.finished();
    for (const s of [load, outer]) {
      assert.equal(s.status.code, 2);
      assert.equal(s.status.message, 'db down');
      assert.equal(s.attributes['genba.waste'], 'defect');
    }
    assert.equal(outer.attributes['cache.hit'], false);
    fail = false;
    assert.equal(await cache.get('x'), 9, 'the next get loads again');
  });

  test('works with an async store and treats falsy values other than undefined as hits', async () => {
    const data = new Map<string, number>([['zero', 0]]);
    const writes: [string, number][] = [];
    const store = {
      get: async (k: string) => data.get(k),
      set: async (k: string, v: number) => {
        writes.push([k, v]);
        data.set(k, v);
      },
    };
    const { loader, loaded } = countingLoader(() => 5);
    const cache = tracedCache('remote', store, loader);
    assert.equal(await cache.get('zero'), 0);
    assert.equal(await cache.get('five'), 5);
    assert.deepEqual(loaded, ['five']);
    assert.deepEqual(writes, [['five', 5]]);
    assert.deepEqual(
      tracing
        .finished()
        .filter((s) => s.name === 'cache remote')
        .map((s) => s.attributes['cache.hit']),
      [true, false],
    );
  });

  test('a store whose get throws fails the lookup with that error', async () => {
    const cache = tracedCache(
      'broken',
      {
        get: () => {
          throw new Error('store offline');
        },
        set: () => {},
      },
      () => 1,
    );
    await assert.rejects(cache.get('a'), /store offline/);
    const [span] = tracing.finished();
    assert.equal(span.status.code, 2);
    assert.equal(span.events[0].name, 'exception');
  });
});

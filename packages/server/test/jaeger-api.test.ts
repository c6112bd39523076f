/** The Jaeger v1 query API: envelopes, errors and search semantics over a real store. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { getJson, withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;
const fixture = readFileSync(new URL('../../storage/test/fixtures/basic.otlp.json', import.meta.url), 'utf8');
const BASE_US = 1767225600n * 1_000_000n;

describe('Jaeger query API v1', () => {
  let server: Server;
  let q: string;
  before(async () => {
    // The fixture is dated 2026-01-01: keep it whatever today is.
    server = await withTempServer({ retentionDays: 0 });
    q = server.urls.query;
    const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      body: fixture,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200);
  });
  after(async () => server.close());

  const window = `start=${BASE_US - 3_600_000_000n}&end=${BASE_US + 3_600_000_000n}`;

  test('services and operations in Jaeger envelopes', async () => {
    assert.deepEqual((await getJson(`${q}/api/services`)).body, {
      data: ['frontend', 'legacy', 'payments'],
      total: 3,
      limit: 0,
      offset: 0,
      errors: null,
    });
    const ops = await getJson(`${q}/api/services/frontend/operations`);
    assert.deepEqual(ops.body.data, ['GET /checkout', 'GET /home', 'POST /pay']);
    const kinds = await getJson(`${q}/api/operations?service=frontend&spanKind=client`);
    assert.deepEqual(kinds.body.data, [{ name: 'POST /pay', spanKind: 'client' }]);
  });

  test('search: newest first, by tags, by duration', async () => {
    const all = await getJson(`${q}/api/traces?service=frontend&${window}`);
    assert.deepEqual(
      all.body.data.map((t: any) => t.traceID),
      ['7c1e0d4a9b3f2e6d5c4b3a2918070605', '5b8efff798038103d269b633813fc60c'],
    );
    const tags = encodeURIComponent('{"http.response.status_code":"500"}');
    const byTag = await getJson(`${q}/api/traces?service=frontend&tags=${tags}&${window}`);
    assert.deepEqual(
      byTag.body.data.map((t: any) => t.traceID),
      ['7c1e0d4a9b3f2e6d5c4b3a2918070605'],
    );
    const slow = await getJson(`${q}/api/traces?service=legacy&minDuration=1.5s&${window}`);
    assert.deepEqual(
      slow.body.data.map((t: any) => t.traceID),
      ['a1b2c3d4e5f60718'],
    );
    const byIds = await getJson(
      `${q}/api/traces?traceID=a1b2c3d4e5f60718&traceID=5b8efff798038103d269b633813fc60c`,
    );
    assert.equal(byIds.body.data.length, 2);
  });

  test('dependencies: the service graph over endTs - lookback, in Jaeger shape', async () => {
    const endTs = BASE_US / 1000n + 3_600_000n;
    const got = await getJson(`${q}/api/dependencies?endTs=${endTs}&lookback=7200000`);
    assert.deepEqual(got.body.data, [{ parent: 'frontend', child: 'payments', callCount: 1 }]);
    const before = await getJson(
      `${q}/api/dependencies?endTs=${BASE_US / 1000n - 3_600_000n}&lookback=60000`,
    );
    assert.deepEqual(before.body.data, []);
    const bad = await getJson(`${q}/api/dependencies?lookback=1h`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors[0].msg, /lookback/);
  });

  test('a 64-bit trace id prints the way Jaeger prints it', async () => {
    const r = await getJson(`${q}/api/traces/A1B2C3D4E5F60718`);
    assert.equal(r.status, 200);
    assert.equal(r.body.data[0].traceID, 'a1b2c3d4e5f60718');
  });

  test('errors name the problem', async () => {
    const missing = await getJson(`${q}/api/traces/ffffffffffffffffffffffffffffffff`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 404, msg: 'trace not found' }],
    });
    const badId = await getJson(`${q}/api/traces/not-hex`);
    assert.equal(badId.status, 400);
    assert.match(badId.body.errors[0].msg, /malformed trace id/);
    const noService = await getJson(`${q}/api/traces?${window}`);
    assert.equal(noService.status, 400);
    assert.match(noService.body.errors[0].msg, /'service' is required/);
    const badTags = await getJson(`${q}/api/traces?service=frontend&tags=%7Bnope`);
    assert.equal(badTags.status, 400);
    assert.match(badTags.body.errors[0].msg, /malformed 'tags'/);
    const badDuration = await getJson(`${q}/api/traces?service=frontend&minDuration=fast`);
    assert.equal(badDuration.status, 400);
    assert.match(badDuration.body.errors[0].msg, /minDuration/);
    const unknown = await getJson(`${q}/api/nothing`);
    assert.equal(unknown.status, 404);
  });

  test('health answers', async () => {
    assert.deepEqual((await getJson(`${q}/health`)).body, { status: 'ok', role: 'all' });
  });
});

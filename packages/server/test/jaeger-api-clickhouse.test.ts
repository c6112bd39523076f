/**
 * The Jaeger query API suite (search, tags, durations, dependencies, trace ids, errors), unchanged, against
 * Debian's ClickHouse 18.16 server through `--storage clickhouse://…` instead of the embedded store.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startClickHouse } from '../../storage/test/support/clickhouse-server.ts';

const ch = await startClickHouse();
// A file-level hook: it runs once every test here has ended, so after the imported suite's own
// `after` has closed its Genba server.
after(() => ch.stop());
process.env.GENBA_TEST_STORAGE = `${ch.url.replace('http', 'clickhouse')}/genba_jaeger`;
await import('./jaeger-api.test.ts');

test('the Jaeger API suite read its spans from the ClickHouse server', async () => {
  const rows = await ch.query(
    'SELECT service, count() FROM genba_jaeger.spans GROUP BY service ORDER BY service',
  );
  assert.equal(rows.trim(), 'frontend\t3\nlegacy\t1\npayments\t1');
});

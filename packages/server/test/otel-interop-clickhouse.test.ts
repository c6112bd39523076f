/**
 * The OpenTelemetry interop suite, unchanged, against Debian's ClickHouse 18.16 server through
 * `--storage clickhouse://…` (the baseline schema) instead of the embedded store.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startClickHouse } from '../../storage/test/support/clickhouse-server.ts';

const ch = await startClickHouse();
// A file-level hook: it runs once every test here has ended, so after the imported suite's own
// `after` has closed its Genba server.
after(() => ch.stop());
process.env.GENBA_TEST_STORAGE = `${ch.url.replace('http', 'clickhouse')}/genba_interop`;
await import('./otel-interop.test.ts');

test('the interop suite stored its spans in the ClickHouse server', async () => {
  const services = (
    await ch.query('SELECT DISTINCT service FROM genba_interop.spans ORDER BY service')
  ).trim();
  assert.deepEqual(services.split('\n'), [
    'interop-exporter-trace-otlp-http',
    'interop-exporter-trace-otlp-proto',
  ]);
  assert.equal(Number(await ch.query('SELECT count() FROM genba_interop.spans')), 4);
});

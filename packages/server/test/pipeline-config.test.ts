/** The config as a user meets it: only the receivers named are open, processors act, `genba validate` reports. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeTraceRequest } from '@genba/otlp';
import { generateTrace, mulberry32 } from '../src/index.ts';
import { getJson, withTempServer } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/genba.mjs', import.meta.url));
const fixture = (name: string) =>
  fileURLToPath(new URL(`../../collector/test/fixtures/${name}`, import.meta.url));

test('receivers not named stay closed; a filter processor drops what it matches, counted', async () => {
  const server = await withTempServer({
    config: {
      receivers: { otlp: { protocols: { http: {} } } },
      processors: { filter: { traces: { span: ['IsMatch(name, "^(SELECT|GET) ")'] } } },
      exporters: { store: {} },
      service: {
        pipelines: { traces: { receivers: ['otlp'], processors: ['filter'], exporters: ['store'] } },
      },
      genba: { retention: '0' },
    },
  });
  try {
    assert.deepEqual(Object.keys(server.endpoints), ['otlp']);
    assert.deepEqual(Object.keys(server.endpoints.otlp), ['http']);
    const spans = generateTrace(mulberry32(3), BigInt(Date.now()) * 1_000_000n);
    const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeTraceRequest(spans),
    });
    assert.equal(res.status, 200);
    const dropped = spans.filter((s) => /^(SELECT|GET) /.test(s.name));
    assert.ok(dropped.length > 0 && dropped.length < spans.length, 'the trace has spans of both kinds');
    const { body } = await getJson(`${server.urls.query}/api/traces/${spans[0].traceId}`);
    const names = body.data[0].spans.map((s: { operationName: string }) => s.operationName).sort();
    assert.deepEqual(
      names,
      spans
        .filter((s) => !dropped.includes(s))
        .map((s) => s.name)
        .sort(),
    );
    const metrics = await (await fetch(`${server.urls.query}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(
        `genba_processor_spans_dropped_total\\{processor="filter",reason="filtered"\\} ${dropped.length}\\n`,
      ),
    );
  } finally {
    await server.close();
  }
});

test('genba validate: a good file gets a summary and exit 0; a bad one every problem and exit 1', () => {
  const good = spawnSync(process.execPath, [bin, 'validate', fixture('full.genba.yaml')], {
    encoding: 'utf8',
  });
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /full\.genba\.yaml is valid/);
  assert.match(
    good.stdout,
    /traces: otlp, zipkin, jaeger → memory_limiter → attributes\/redact → tail_sampling → store, otlp\/upstream/,
  );
  const bad = spawnSync(process.execPath, [bin, 'validate', fixture('broken.genba.yaml')], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /broken\.genba\.yaml is invalid:\n {2}- genba: Unrecognized key: "colour"/);
});

test('genba serve --config with a bad file exits 1 with the problems, not a stack trace', () => {
  const r = spawnSync(process.execPath, [bin, 'serve', '--config', fixture('broken.genba.yaml')], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /genba serve: .*broken\.genba\.yaml is invalid:/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

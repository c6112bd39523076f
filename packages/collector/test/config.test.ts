/** The config: YAML as users write it, every problem reported with its key path, defaults, overrides. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultRegistry, readConfigFile, validateConfig, withOverrides } from '../src/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

test('a full Collector-shaped file validates, components keyed type/name', async () => {
  const c = validateConfig(await readConfigFile(fixture('full.genba.yaml')), defaultRegistry);
  assert.deepEqual(c.pipelines.traces.processors, ['memory_limiter', 'attributes/redact', 'tail_sampling']);
  assert.equal(c.processors.get('attributes/redact')?.type, 'attributes');
  assert.equal(c.exporters.get('otlp/upstream')?.type, 'otlp');
  assert.equal(c.exporters.has('debug'), false, 'a component in no pipeline is ignored');
  // Endpoints left out get the default port on genba.listen; YAML's bare `grpc:` means "on".
  const otlp = c.receivers.get('otlp')?.config as { protocols: Record<string, { endpoint: string }> };
  assert.equal(otlp.protocols.grpc.endpoint, '127.0.0.1:4317');
  assert.equal(otlp.protocols.http.endpoint, '127.0.0.1:0');
  assert.equal((c.receivers.get('zipkin')?.config as { endpoint: string }).endpoint, '127.0.0.1:9411');
  assert.equal(c.genba.retentionDays, 3);
});

test('every problem is reported at once, each with its key path', async () => {
  const raw = await readConfigFile(fixture('broken.genba.yaml'));
  const err = (() => {
    try {
      validateConfig(raw, defaultRegistry, { source: 'broken.genba.yaml' });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof ConfigError, String(err));
  assert.match(err.message, /^broken\.genba\.yaml is invalid:/);
  const problems = err.problems.join('\n');
  // The top-level shape is checked first, so only `genba.colour` shows in the first pass.
  assert.match(problems, /genba: Unrecognized key: "colour"/);
  delete (raw as { genba: Record<string, unknown> }).genba.colour;
  const second = (() => {
    try {
      validateConfig(raw, defaultRegistry);
    } catch (e) {
      return e as ConfigError;
    }
  })();
  const lines = second?.problems.join('\n') ?? '';
  assert.match(lines, /genba\.retention: expected a duration/);
  assert.match(lines, /service\.pipelines\.traces\.processors: "batch" is not defined under processors:/);
  assert.match(
    lines,
    /service\.pipelines\.traces\.exporters: "otlp\/missing" is not defined under exporters:/,
  );
  assert.match(lines, /receivers\.kafka: unknown receiver type "kafka"; known: otlp, zipkin, jaeger/);
  assert.match(lines, /receivers\.otlp\.protocols: Unrecognized key: "grcp"/);
  assert.match(lines, /processors\.tail_sampling\.policies\.0\.latency\.threshold_ms: /);
});

test('a file with only a genba: section runs the default pipeline: every receiver into the store', () => {
  const c = validateConfig({ genba: { storage: 'embedded' } }, defaultRegistry);
  assert.deepEqual(c.pipelines.traces.receivers, ['otlp', 'zipkin', 'jaeger']);
  assert.deepEqual(c.pipelines.traces.exporters, ['store']);
  assert.deepEqual([...c.processors.keys()], ['memory_limiter']);
});

test('environment variables override the file, and flags override both', () => {
  const raw = { genba: { storage: 'embedded', data_dir: '/from/file', retention: '7d' } };
  const env = { GENBA_DATA_DIR: '/from/env', GENBA_RETENTION: '2d' };
  const c = validateConfig(withOverrides(raw, env, { retention: '12h' }), defaultRegistry);
  assert.equal(c.genba.data_dir, '/from/env');
  assert.equal(c.genba.retentionDays, 0.5);
});

test('a router may not write to a store', () => {
  assert.throws(
    () => validateConfig({ genba: { role: 'router' } }, defaultRegistry),
    /genba\.role: a router has no store/,
  );
});

test('unreadable and non-YAML files are named', async () => {
  await assert.rejects(
    readConfigFile('/nonexistent/genba.yaml'),
    /\/nonexistent\/genba\.yaml is invalid:\n {2}- cannot read the file/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'genba-config-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'receivers: [otlp\n  zipkin: }\n');
  try {
    await assert.rejects(readConfigFile(bad), /bad\.yaml is invalid:\n {2}- not valid YAML/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// `genba analyze`, run as the real CLI in a child process: on fixture files whose figures are
// worked out by hand (fixtures/analyze), and with --service against a real server.
//
// checkout.otlp.json, one trace of 100 ms (ms from the root's start):
//   gateway  GET /checkout      SERVER    0–100
//   gateway  POST /orders       CLIENT    5–90
//   orders   POST /orders       SERVER   10–85
//   orders   kanban.pick-queue  INTERNAL 12–30   (a queue: waiting)
//   orders   reserve stock      INTERNAL 31–39   (status ERROR: defect)
//   orders   POST /pay          CLIENT   40–80
//   payments POST /pay          SERVER   42–78
// Critical path: gateway 0–5 processing, 5–10 transport; orders 10–12 processing, 12–30 waiting,
// 30–31 processing, 31–39 defect, 39–40 processing, 40–42 transport; payments 42–78 processing;
// orders 78–80 transport, 80–85 processing; gateway 85–90 transport, 90–100 processing.
// So processing 60, waiting 18, transport 14, defect 8; gateway 25, orders 39, payments 36.
// checkout-pair.otlp.json adds a 200 ms trace gateway → orders → payments (no inner spans):
// processing 160, transport 40; gateway 40, orders 40, payments 120.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getJson, withTempServer } from './helpers.ts';

const root = new URL('../../..', import.meta.url).pathname;
const bin = join(root, 'packages/server/bin/genba.mjs');
const fixtures = new URL('./fixtures/analyze/', import.meta.url).pathname;
const OTLP = join(fixtures, 'checkout.otlp.json');
const JAEGER = join(fixtures, 'checkout.jaeger.json');
const PAIR = join(fixtures, 'checkout-pair.otlp.json');
const TRACE_1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const START_US = 1736935200000000; // 2025-01-15T10:00:00Z

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Async, so a server in this process keeps answering while the CLI runs. */
function analyze(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', bin, 'analyze', ...args],
      { cwd: root, timeout: 60_000 },
      (err, out, errText) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, out, err: errText });
      },
    );
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await analyze(...args);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  return r.out;
}

/** The report line that starts (after its indent) with `label`, its cells split on runs of spaces. */
function row(out: string, label: string): string[] {
  const line = out.split('\n').find((l) => l.trimStart().startsWith(`${label} `));
  assert.ok(line !== undefined, `no line for ${label} in\n${out}`);
  return line.trim().split(/ {2,}/);
}

/** The same cells joined by ' | ', the first `n` only when given, for compact comparisons. */
function line(out: string, label: string, n?: number): string {
  return row(out, label).slice(0, n).join(' | ');
}

const tmp = mkdtempSync(join(tmpdir(), 'genba-analyze-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tmpFile(name: string, content: string): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

describe('genba analyze FILE', () => {
  test('prints categories, ratio, components, bottleneck and the critical path of an OTLP JSON trace', async () => {
    const out = await ok(OTLP);
    assert.match(out, /^Trace 4bf92f3577b34da6a3ce929d0e0e4736\n/);
    assert.match(out, /\n {2}root {6}gateway: GET \/checkout {2}\(7 spans, 3 services\)\n/);
    assert.match(out, /\n {2}started {3}2025-01-15T10:00:00\.000Z\n/);
    assert.match(out, /\n {2}latency {3}100ms\n/);
    // 30 cells is 100 %, in eighths: 60 % is 18 full blocks; 18 % is 5 and 3/8 (5.4 cells).
    assert.equal(line(out, 'processing'), 'processing | 60.0ms | 60.0% | ██████████████████');
    assert.equal(line(out, 'waiting'), 'waiting | 18.0ms | 18.0% | █████▍');
    assert.equal(line(out, 'transport'), 'transport | 14.0ms | 14.0% | ████▎');
    assert.equal(line(out, 'defect'), 'defect | 8.00ms | 8.0% | ██▍');
    assert.match(out, /value-added ratio {2}60\.0%/);
    const components = out.split('time by component')[1];
    assert.equal(line(components, 'orders', 3), 'orders | 39.0ms | 39.0%');
    assert.equal(line(components, 'payments', 3), 'payments | 36.0ms | 36.0%');
    assert.equal(line(components, 'gateway', 3), 'gateway | 25.0ms | 25.0%');
    assert.match(out, /bottleneck {2}orders: 39\.0ms, 39\.0% of the latency/);

    const path = out
      .split('critical path\n')[1]
      .split('\n\n')[0]
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/ {2,}/));
    assert.deepEqual(
      path.map(([at, time, category, service, span]) => [at, time, category, service, span]),
      [
        ['+0', '5.00ms', 'processing', 'gateway', 'GET /checkout'],
        ['+5.00ms', '5.00ms', 'transport', 'gateway', 'POST /orders'],
        ['+10.0ms', '2.00ms', 'processing', 'orders', 'POST /orders'],
        ['+12.0ms', '18.0ms', 'waiting', 'orders', 'kanban.pick-queue'],
        ['+30.0ms', '1.00ms', 'processing', 'orders', 'POST /orders'],
        ['+31.0ms', '8.00ms', 'defect', 'orders', 'reserve stock'],
        ['+39.0ms', '1.00ms', 'processing', 'orders', 'POST /orders'],
        ['+40.0ms', '2.00ms', 'transport', 'orders', 'POST /pay'],
        ['+42.0ms', '36.0ms', 'processing', 'payments', 'POST /pay'],
        ['+78.0ms', '2.00ms', 'transport', 'orders', 'POST /pay'],
        ['+80.0ms', '5.00ms', 'processing', 'orders', 'POST /orders'],
        ['+85.0ms', '5.00ms', 'transport', 'gateway', 'POST /orders'],
        ['+90.0ms', '10.0ms', 'processing', 'gateway', 'GET /checkout'],
      ],
    );
    assert.match(out, /errors\n.*\n\s+1\s+1\s+orders\s+reserve stock\s+out of stock for sku <n>\n/);
    // One trace: no aggregate.
    assert.doesNotMatch(out, /All \d+ traces/);
  });

  test('a Jaeger export of the same trace (envelope, bare trace or array) gives the same report', async () => {
    const otlp = await ok(OTLP);
    assert.equal(await ok(JAEGER), otlp);
    const envelope = JSON.parse(readFileSync(JAEGER, 'utf8'));
    assert.equal(await ok(tmpFile('bare.json', JSON.stringify(envelope.data[0]))), otlp);
    assert.equal(await ok(tmpFile('array.json', JSON.stringify(envelope.data))), otlp);
  });

  test('--json: per trace the analysis answer of the API plus the critical path, in µs', async () => {
    const doc = JSON.parse(await ok(OTLP, '--json'));
    assert.equal(doc.traces.length, 1);
    const { criticalPath, ...analysis } = doc.traces[0];
    assert.deepEqual(analysis, {
      traceID: TRACE_1,
      rootService: 'gateway',
      rootOperation: 'GET /checkout',
      startTime: START_US,
      totalLatency: 100_000,
      categories: { processing: 60_000, waiting: 18_000, transport: 14_000, defect: 8_000 },
      valueAddedRatio: 0.6,
      components: { gateway: 25_000, orders: 39_000, payments: 36_000 },
      bottleneck: 'orders',
      anomaly: { detected: false, reason: 'no baseline for gateway GET /checkout yet', threshold: null },
    });
    const at = (ms: number) => START_US + ms * 1000;
    const cuts = [0, 5, 10, 12, 30, 31, 39, 40, 42, 78, 80, 85, 90, 100];
    const spans = [1, 2, 3, 4, 3, 5, 3, 6, 7, 6, 3, 2, 1].map((n) => `a1b2c3d4e5f6000${n}`);
    assert.deepEqual(
      criticalPath,
      spans.map((spanID, i) => ({ spanID, startTime: at(cuts[i]), endTime: at(cuts[i + 1]) })),
    );
    assert.deepEqual(doc.errors[0].messagePattern, 'out of stock for sku <n>');
    // The Jaeger file answers the same JSON.
    assert.deepEqual(JSON.parse(await ok(JAEGER, '--json')), doc);
  });

  test('several traces: each, then the aggregate with P50/P95/P99 and the service dependencies', async () => {
    const out = await ok(PAIR);
    assert.match(out, /^Trace 4bf92f3577b34da6a3ce929d0e0e4736\n/);
    assert.match(out, /\nTrace 5c0a3e4688c45eb7b4df0a3e1f1f5847\n/);
    const summary = out.split(/\nAll 2 traces of .*checkout-pair\.otlp\.json\n/)[1];
    assert.ok(summary !== undefined, out);
    assert.match(summary, /latency {3}P50 100ms {2}P95 200ms {2}P99 200ms {2}avg 150ms/);
    // 220 of 300 ms processing: 60 + 160.
    assert.equal(line(summary, 'processing', 3), 'processing | 220ms | 73.3%');
    assert.equal(line(summary, 'transport', 3), 'transport | 54.0ms | 18.0%');
    assert.match(summary, /value-added ratio {2}73\.3%/);
    // #, component, total, share, traces, bottleneck of, P50, P95, P99.
    assert.equal(line(summary, '1', 9), '1 | payments | 156ms | 52.0% | 2 | 1 | 36.0ms | 120ms | 120ms');
    assert.equal(line(summary, '2', 9), '2 | orders | 79.0ms | 26.3% | 2 | 1 | 39.0ms | 40.0ms | 40.0ms');
    assert.equal(line(summary, '3', 9), '3 | gateway | 65.0ms | 21.7% | 2 | 0 | 25.0ms | 40.0ms | 40.0ms');
    // Callee durations: orders 75 and 160 ms, payments 36 and 120 ms.
    assert.equal(line(summary, 'gateway  →'), 'gateway | → | orders | 2 | 0 | 75.0ms | 160ms');
    assert.equal(line(summary, 'orders   →'), 'orders | → | payments | 2 | 0 | 36.0ms | 120ms');

    const doc = JSON.parse(await ok(PAIR, '--json'));
    assert.deepEqual(
      doc.traces.map((t: { totalLatency: number; bottleneck: string }) => [t.totalLatency, t.bottleneck]),
      [
        [100_000, 'orders'],
        [200_000, 'payments'],
      ],
    );
    assert.equal(doc.aggregate.traceCount, 2);
    assert.deepEqual(doc.aggregate.latency, {
      count: 2,
      avg: 150_000,
      p50: 100_000,
      p95: 200_000,
      p99: 200_000,
    });
    assert.deepEqual(doc.aggregate.components[0], {
      component: 'payments',
      traceCount: 2,
      total: 156_000,
      share: 0.52,
      bottleneckCount: 1,
      categories: { processing: 156_000, waiting: 0, transport: 0, defect: 0 },
      count: 2,
      avg: 78_000,
      p50: 36_000,
      p95: 120_000,
      p99: 120_000,
    });
    assert.deepEqual(doc.dependencies, [
      { parent: 'gateway', child: 'orders', callCount: 2, errorCount: 0, p50: 75_000, p95: 160_000 },
      { parent: 'orders', child: 'payments', callCount: 2, errorCount: 0, p50: 36_000, p95: 120_000 },
    ]);
  });

  test('--config: analysis.rules from a Genba config classify first', async () => {
    const config = tmpFile(
      'rules.yaml',
      'analysis:\n  rules:\n    - name: payment provider\n      category: waiting\n      when:\n        service: payments\n',
    );
    const out = await ok(OTLP, '--config', config);
    // payments' 36 ms move from processing to waiting.
    assert.equal(line(out, 'processing', 3), 'processing | 24.0ms | 24.0%');
    assert.equal(line(out, 'waiting', 3), 'waiting | 54.0ms | 54.0%');
    assert.equal(
      line(out, '+42.0ms'),
      '+42.0ms | 36.0ms | waiting | payments | POST /pay | payment provider',
    );

    const bad = tmpFile('bad-rules.yaml', 'analysis:\n  rules:\n    - category: idle\n');
    const r = await analyze(OTLP, '--config', bad);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /bad-rules\.yaml is invalid:\n {2}- analysis\.rules\.0\.category: expected one of processing/,
    );
  });

  test('a file that is not a trace: exit 1 and one message naming it and what was expected', async () => {
    const cases: [string, string, RegExp][] = [
      ['not-json.json', 'nope', /not-json\.json is not JSON \(.*\); expected OTLP JSON .* or Jaeger JSON/],
      [
        'other.json',
        '{"kind": "metrics"}',
        /other\.json is not a trace file: expected OTLP JSON \(an ExportTraceServiceRequest/,
      ],
      [
        'bad-otlp.json',
        '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}',
        /bad-otlp\.json is not valid OTLP JSON: traceId .* at \$\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId/,
      ],
      [
        'bad-jaeger.json',
        '{"data": [{"traceID": "abc", "spans": [{"spanID": 1}]}]}',
        /bad-jaeger\.json is not valid Jaeger JSON: data\[0\]\.spans\[0\]\.spanID: expected a string/,
      ],
      ['empty.json', '[]', /empty\.json holds no spans/],
    ];
    for (const [name, content, message] of cases) {
      const r = await analyze(tmpFile(name, content));
      assert.equal(r.code, 1, name);
      assert.equal(r.out, '', name);
      assert.match(r.err, /^genba analyze: /, name);
      assert.match(r.err, message, name);
      assert.doesNotMatch(r.err, /\n\s+at /, `${name}: a stack trace`);
    }
    const missing = await analyze(join(tmp, 'missing.json'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read .*missing\.json: no such file/);
    const help = await analyze('--help');
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /--compare-before <d>/);
    assert.match(help.out, /--since <d> +with --service: the window, ending now \(default: 1h\)/);
    const neither = await analyze();
    assert.equal(neither.code, 1);
    assert.match(neither.err, /give a trace file .* or --service NAME/);
  });
});

/** The fixture's spans moved to `at` (epoch ns), under new trace and span ids. */
function shiftedOtlp(file: string, at: bigint, n: number): { json: string; traceIds: string[] } {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const traceIds = new Set<string>();
  let first: bigint | undefined;
  for (const rs of doc.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) {
        const t = BigInt(s.startTimeUnixNano);
        if (first === undefined || t < first) first = t;
      }
  const shift = at - (first as bigint);
  const mark = (hex: string) => n.toString(16).padStart(4, '0') + hex.slice(4);
  for (const rs of doc.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) {
        s.traceId = mark(s.traceId);
        s.spanId = mark(s.spanId);
        if (s.parentSpanId) s.parentSpanId = mark(s.parentSpanId);
        s.startTimeUnixNano = String(BigInt(s.startTimeUnixNano) + shift);
        s.endTimeUnixNano = String(BigInt(s.endTimeUnixNano) + shift);
        traceIds.add(s.traceId);
      }
  return { json: JSON.stringify(doc), traceIds: [...traceIds] };
}

describe('genba analyze --service (against a running server)', () => {
  const MIN = 60_000_000_000n;
  const now = BigInt(Date.now()) * 1_000_000n;
  let server: Awaited<ReturnType<typeof withTempServer>>;
  let shiftedFile: string;
  let shiftedTrace: string;

  async function send(json: string): Promise<void> {
    const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    assert.equal(res.status, 200, await res.text());
  }

  before(async () => {
    server = await withTempServer();
    // The last hour: the 100 ms checkout twice (buckets 3 and 9 of 12 five-minute buckets).
    // The hour before: the 200 ms one (trace 2 of the pair file).
    const a = shiftedOtlp(OTLP, now - 42n * MIN - 30n * 1_000_000_000n, 1);
    const b = shiftedOtlp(OTLP, now - 12n * MIN - 30n * 1_000_000_000n, 2);
    const pair = JSON.parse(readFileSync(PAIR, 'utf8'));
    for (const rs of pair.resourceSpans)
      for (const ss of rs.scopeSpans)
        ss.spans = ss.spans.filter((s: { traceId: string }) => s.traceId !== TRACE_1);
    const c = shiftedOtlp(tmpFile('slow.otlp.json', JSON.stringify(pair)), now - 90n * MIN, 3);
    await send(a.json);
    await send(b.json);
    await send(c.json);
    shiftedFile = tmpFile('shifted.otlp.json', a.json);
    shiftedTrace = a.traceIds[0];
  });

  after(async () => {
    await server?.close();
  });

  test('prints the window: categories, ratio, latency, bottleneck ranking and the ratio over time', async () => {
    const out = await ok('--service', 'gateway', '--since', '1h', '--server', server.urls.query);
    assert.match(out, /^Value stream of gateway \(all operations\)\n/);
    assert.match(out, /\n {2}window {4}\S+Z to \S+Z \(last 1h\)\n/);
    assert.match(out, /\n {2}traces {4}2\n/);
    assert.match(out, /latency {3}P50 100ms {2}P95 100ms {2}P99 100ms {2}avg 100ms/);
    assert.equal(line(out, 'processing'), 'processing | 120ms | 60.0% | ██████████████████');
    assert.equal(line(out, 'defect', 3), 'defect | 16.0ms | 8.0%');
    assert.match(out, /value-added ratio {2}60\.0%/);
    assert.equal(line(out, '1', 9), '1 | orders | 78.0ms | 39.0% | 2 | 2 | 39.0ms | 39.0ms | 39.0ms');
    assert.match(out, /bottleneck {2}orders\n/);
    // 60 % on a 0–100 % scale of eight levels is the fifth, ▅; empty buckets are gaps.
    assert.match(
      out,
      /ratio over time \(12 buckets of 5m, scale 0–100%\)\n {4}│ {3}▅ {5}▅ {2}│ {2}min 60\.0%, max 60\.0%/,
    );

    const data = JSON.parse(await ok('--service', 'gateway', '--server', server.urls.query, '--json'));
    assert.equal(data.traceCount, 2);
    assert.deepEqual(data.categories, {
      processing: 120_000,
      waiting: 36_000,
      transport: 28_000,
      defect: 16_000,
    });
  });

  test('--service/--operation: the value stream from where that service enters the trace', async () => {
    const out = await ok('--service', 'orders', '--operation', 'POST /orders', '--server', server.urls.query);
    assert.match(out, /^Value stream of orders: POST \/orders\n/);
    // From orders' SERVER span, 75 ms: processing 9 + 36 (payments), waiting 18, transport 4, defect 8.
    assert.match(out, /latency {3}P50 75\.0ms/);
    assert.equal(line(out, 'processing', 3), 'processing | 90.0ms | 60.0%');
    assert.equal(line(out, 'transport', 3), 'transport | 8.00ms | 5.3%');
  });

  test('--compare-before: per category and per component deltas, P95 and ratio change', async () => {
    const out = await ok(
      '--service',
      'gateway',
      '--since',
      '1h',
      '--compare-before',
      '1h',
      '--server',
      server.urls.query,
    );
    const cmp = out.split('\nBefore and after: gateway (all operations)\n')[1];
    assert.ok(cmp !== undefined, out);
    assert.match(cmp, /before {4}\S+ to \S+ \(the 1h before\): 1 trace\n/);
    assert.match(cmp, /after {5}\S+ to \S+ \(the last 1h\): 2 traces\n/);
    assert.equal(line(cmp, 'processing'), 'processing | 160ms | 60.0ms | -100ms | -62.5%');
    assert.equal(line(cmp, 'waiting'), 'waiting | 0 | 18.0ms | +18.0ms | new');
    assert.equal(line(cmp, 'transport'), 'transport | 40.0ms | 14.0ms | -26.0ms | -65.0%');
    assert.equal(line(cmp, 'defect'), 'defect | 0 | 8.00ms | +8.00ms | new');
    assert.equal(line(cmp, 'latency P95'), 'latency P95 | 200ms | 100ms | -100ms | -50.0%');
    assert.equal(line(cmp, 'value-added ratio'), 'value-added ratio | 80.0% | 60.0% | -20.0 pt | -25.0%');
    const byComponent = cmp.split('by component')[1];
    assert.equal(
      line(byComponent, 'payments'),
      'payments | 120ms | 36.0ms | -84.0ms | -70.0% | 120ms | 36.0ms',
    );
    assert.equal(
      line(byComponent, 'gateway'),
      'gateway | 40.0ms | 25.0ms | -15.0ms | -37.5% | 40.0ms | 25.0ms',
    );
    assert.equal(line(byComponent, 'orders'), 'orders | 40.0ms | 39.0ms | -1.00ms | -2.5% | 40.0ms | 39.0ms');
    assert.match(cmp, /bottleneck {2}payments → orders\n/);

    const doc = JSON.parse(
      await ok('--service', 'gateway', '--compare-before', '1h', '--server', server.urls.query, '--json'),
    );
    assert.equal(doc.valueStream.traceCount, 2);
    assert.deepEqual(doc.compare.latencyP95, {
      before: 200_000,
      after: 100_000,
      delta: -100_000,
      change: -0.5,
    });
  });

  test('a file analysed alone answers what the server answers for the stored trace', async () => {
    const file = JSON.parse(await ok(shiftedFile, '--json')).traces[0];
    const { status, body } = await getJson(`${server.urls.query}/api/genba/traces/${shiftedTrace}/analysis`);
    assert.equal(status, 200);
    const { anomaly: _a, criticalPath: _c, ...fromFile } = file;
    const { anomaly: _b, ...fromServer } = body.data;
    assert.deepEqual(fromFile, fromServer);
    const path = await getJson(`${server.urls.query}/api/genba/traces/${shiftedTrace}/critical-path`);
    assert.deepEqual(file.criticalPath, path.body.data);
  });

  test("the server's error message, and exit 1", async () => {
    const r = await analyze('--service', 'gateway', '--buckets', '1000', '--server', server.urls.query);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      `genba analyze: the server answered 400: parameter 'buckets' must be a whole number from 0 to 500, got "1000"\n`,
    );
  });

  test('no server: says where nothing answers and how to start one', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const r = await analyze('--service', 'gateway', '--server', url);
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      `genba analyze: the server is not reachable at ${url} (ECONNREFUSED); start one with \`genba serve\` or pass --server URL\n`,
    );
  });
});

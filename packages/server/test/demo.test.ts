/**
 * The order demo against a real server: five processes, one trace per order with its parent
 * links intact across them, and every path the demo promises (errors, retries, queue and pool
 * waits) visible through the Jaeger API. Also `genba demo` itself: Ctrl-C and a missing server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Demo } from '@genba/order-demo';
import { SERVICES, startDemo } from '@genba/order-demo';
import { getJson, withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;

interface JaegerTag {
  key: string;
  value: unknown;
}
interface JaegerSpan {
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; spanID: string }[];
  tags: JaegerTag[];
  logs: { fields: JaegerTag[] }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
const parentOf = (span: JaegerSpan) => span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
const allSpans = (traces: JaegerTrace[]) => traces.flatMap((t) => t.spans);

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const CLI = new URL('../bin/genba.mjs', import.meta.url).pathname;

/** Runs `genba demo …`; `interruptWhen` sends SIGINT once stdout contains it. */
function runCli(
  args: string[],
  interruptWhen?: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      if (interruptWhen !== undefined && !sent && out.includes(interruptWhen)) {
        sent = true;
        // Let a few orders through first, so the summary has something to count.
        setTimeout(() => child.kill('SIGINT'), 1000);
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c;
    });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('order demo', { timeout: 60_000 }, () => {
  let server: Server;
  let demo: Demo | undefined;
  let traces: JaegerTrace[];
  const log: string[] = [];

  before(async () => {
    server = await withTempServer();
    // Seed 1's opening orders take every path: slow reservations, a retried and a declined charge.
    demo = await startDemo({
      endpoint: server.urls.otlpHttp,
      rate: 8,
      duration: 3000,
      seed: 1,
      log: (line) => log.push(line),
    });
    await demo.finished;
    await demo.stop();
    const found = await getJson(`${server.urls.query}/api/traces?service=gateway&limit=500`);
    traces = found.body.data;
  });
  after(async () => {
    await demo?.stop();
    await server?.close();
  });

  test('every order is answered, every span exported, and no service outlives stop()', () => {
    const s = demo!.stats;
    assert.ok(s.sent >= 15, `only ${s.sent} orders sent; log:\n${log.join('\n')}`);
    assert.equal(s.ok + s.failed, s.sent);
    assert.equal(s.inFlight, 0);
    assert.ok(s.failed >= 1, 'the opening declined order fails');
    assert.equal(s.spansDropped, 0);
    assert.ok(s.spansExported > s.sent * 10, `${s.spansExported} spans for ${s.sent} orders`);
    for (const service of demo!.services)
      assert.equal(alive(service.pid), false, `${service.name} still runs`);
  });

  test('five services, each its own process', async () => {
    const services = (await getJson(`${server.urls.query}/api/services`)).body.data;
    for (const name of SERVICES) assert.ok(services.includes(name), `${name} missing from ${services}`);
    assert.equal(new Set(demo!.services.map((s) => s.pid)).size, 5);
  });

  test('one trace per order, rooted at the gateway, every parent link intact', () => {
    assert.equal(traces.length, demo!.stats.sent);
    for (const trace of traces) {
      const ids = new Set(trace.spans.map((s) => s.spanID));
      const roots = trace.spans.filter((s) => parentOf(s) === undefined);
      assert.equal(roots.length, 1, `trace ${trace.traceID} has ${roots.length} roots`);
      assert.equal(trace.processes[roots[0].processID].serviceName, 'gateway');
      for (const span of trace.spans) {
        const parent = parentOf(span);
        assert.ok(
          parent === undefined || ids.has(parent),
          `${span.operationName}: parent ${parent} not in trace`,
        );
      }
    }
    const everywhere = traces.filter(
      (t) => new Set(t.spans.map((s) => t.processes[s.processID].serviceName)).size === 5,
    );
    assert.ok(everywhere.length > 0, 'no trace reaches all five services');
    // Across processes: a SERVER span's parent is the caller's CLIENT span, in another service.
    const t = everywhere[0];
    const byId = new Map(t.spans.map((s) => [s.spanID, s]));
    const servers = t.spans.filter((s) => tag(s, 'span.kind') === 'server' && parentOf(s) !== undefined);
    assert.ok(servers.length >= 4);
    for (const s of servers) {
      const caller = byId.get(parentOf(s)!)!;
      assert.equal(tag(caller, 'span.kind'), 'client');
      assert.notEqual(t.processes[caller.processID].serviceName, t.processes[s.processID].serviceName);
    }
  });

  test('errors, retries, queue waits and pool waits are all there', () => {
    const spans = allSpans(traces);
    assert.ok(
      traces.some((t) =>
        t.spans.some((s) => tag(s, 'error') === true && tag(s, 'otel.status_code') === 'ERROR'),
      ),
      'no trace with an error',
    );
    const retried = spans.filter(
      (s) =>
        s.logs.some((l) => l.fields.some((f) => f.key === 'event' && f.value === 'retry_attempt')) ||
        Number(tag(s, 'retry.attempt')) > 1,
    );
    assert.ok(retried.length > 0, 'no retry');
    const pulls = spans.filter((s) => s.operationName === 'kanban.pull shipments');
    assert.ok(
      pulls.some((s) => Number(tag(s, 'kanban.wait_time_ms')) > 0),
      'no queue pull with a wait time',
    );
    // Real waiting: an order queued behind the slow reservations holding both connections.
    const acquires = spans.filter((s) => s.operationName === 'heijunka.acquire inventory-db');
    assert.ok(
      acquires.some((s) => Number(tag(s, 'heijunka.acquire_time_ms')) >= 100),
      `no pool wait >= 100 ms among ${acquires.map((s) => tag(s, 'heijunka.acquire_time_ms'))}`,
    );
    assert.ok(spans.some((s) => s.operationName === 'circuit_breaker payments'));
    assert.ok(spans.some((s) => tag(s, 'genba.component') === 'andon'));
  });

  test('genba demo stops cleanly on Ctrl-C and prints a summary', async () => {
    const r = await runCli(
      ['--endpoint', server.urls.otlpHttp, '--duration', '0', '--rate', '5'],
      'orders/s into',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /genba demo: stopping/);
    assert.match(r.out, /genba demo: \d+ orders sent, \d+ ok, \d+ failed/);
    assert.match(r.out, / 0 dropped/);
  });

  test('genba demo without a server says so in one line', async () => {
    const r = await runCli(['--endpoint', 'http://127.0.0.1:9', '--duration', '1s']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^genba demo: nothing answers at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    assert.equal(r.err.trim().split('\n').length, 1);
  });
});

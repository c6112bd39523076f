/**
 * Two Genba backends behind a Genba router (`genba.role: router`, the loadbalancing exporter):
 * every trace is whole on exactly one backend; when one backend stops, new traces go to the
 * other and nothing acknowledged is lost.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import { encodeTraceRequest } from '@genba/otlp';
import { generateTrace, mulberry32 } from '../src/index.ts';
import { withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;
interface Backend {
  grpc: string;
  query: string;
  stop(): Promise<void>;
}

const bin = new URL('../bin/genba.mjs', import.meta.url).pathname;

/** One embedded store per process (chdb's rule), so each backend is a `genba serve` of its own. */
async function backend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'genba-backend-'));
  writeFileSync(
    join(dir, 'genba.yaml'),
    `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 127.0.0.1:0\n` +
      `exporters:\n  store:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [store]\n` +
      `genba:\n  data_dir: ${join(dir, 'data')}\n  retention: '0'\n  query: { endpoint: '127.0.0.1:0' }\n`,
  );
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--config', join(dir, 'genba.yaml')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`backend exited with ${code}: ${out}`)));
    child.stdout?.on('data', (d) => {
      out += d;
      const grpc = /otlp grpc\s+(\S+)/.exec(out);
      const query = /metrics\s+(\S+)\/metrics/.exec(out);
      if (grpc && query) resolve({ grpc: grpc[1], query: query[1], stop });
    });
  });
}

function traces(seed: number, n: number): Span[][] {
  const rng = mulberry32(seed);
  const now = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: n }, (_, i) => generateTrace(rng, now - BigInt(i) * 1_000_000n));
}

/** Sends the traces with every trace's spans split over two requests, as SDKs on several hosts would. */
async function send(router: Server, list: Span[][]): Promise<void> {
  const first = list.flatMap((t) => t.slice(0, Math.ceil(t.length / 2)));
  const second = list.flatMap((t) => t.slice(Math.ceil(t.length / 2)));
  for (const spans of [first, second]) {
    const res = await fetch(`${router.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeTraceRequest(spans),
    });
    assert.equal(res.status, 200, await res.text());
  }
}

/** Span count per trace id on a backend, through its Jaeger API. */
async function spansOn(backend: Backend, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 50) {
    const q = ids
      .slice(i, i + 50)
      .map((id) => `traceID=${id}`)
      .join('&');
    const body = (await (await fetch(`${backend.query}/api/traces?${q}`)).json()) as {
      data: { traceID: string; spans: unknown[] }[];
    };
    for (const t of body.data) out.set(t.traceID, t.spans.length);
  }
  return out;
}

test('router → two backends: whole traces on exactly one; a stopped backend loses nothing', async () => {
  const [a, b] = await Promise.all([backend(), backend()]);
  const router = await withTempServer({
    config: {
      receivers: { otlp: { protocols: { http: {}, grpc: {} } } },
      processors: { memory_limiter: { limit_mib: 4000 } },
      exporters: {
        loadbalancing: {
          protocol: { otlp: { tls: { insecure: true }, timeout: '2s' } },
          resolver: { static: { hostnames: [a.grpc, b.grpc] } },
          health_check: { interval: '200ms', timeout: '200ms' },
        },
      },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['loadbalancing'] },
        },
      },
      genba: { role: 'router' },
    },
  });
  let bOpen = true;
  try {
    assert.equal(
      (await fetch(`${router.urls.query}/api/services`)).status,
      404,
      'a router serves no query API',
    );
    const before = traces(1, 200);
    await send(router, before);
    const ids = before.map((t) => t[0].traceId);
    const onA = await spansOn(a, ids);
    const onB = await spansOn(b, ids);
    for (const t of before) {
      const id = t[0].traceId;
      assert.ok(onA.has(id) !== onB.has(id), `trace ${id} must be on exactly one backend`);
      assert.equal(onA.get(id) ?? onB.get(id), t.length, `trace ${id} is whole`);
    }
    assert.ok(onA.size > 50 && onB.size > 50, `both backends get a share: ${onA.size} / ${onB.size}`);

    await b.stop();
    bOpen = false;
    const after = traces(2, 100);
    await send(router, after);
    const afterIds = after.map((t) => t[0].traceId);
    const nowOnA = await spansOn(a, afterIds);
    for (const t of after)
      assert.equal(nowOnA.get(t[0].traceId), t.length, 'every new trace is whole on the backend left');
    const stillOnA = await spansOn(a, [...onA.keys()]);
    assert.deepEqual(stillOnA, onA, "the live backend's earlier traces are untouched");
    const metrics = await (await fetch(`${router.urls.query}/metrics`)).text();
    assert.match(metrics, /genba_loadbalancer_backend_healthy 1\n/);
  } finally {
    await router.close();
    await a.stop();
    if (bOpen) await b.stop();
  }
});

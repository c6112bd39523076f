/**
 * `kill -9` while spans stream in: every span that was acknowledged with 2xx is there after a restart.
 * The server runs as a real child process through the `genba` command, once on the embedded store
 * and once with `--storage clickhouse://…` on Debian's ClickHouse 18.16 server, which keeps running
 * across the kill and the restart.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeTraceRequest } from '@genba/otlp';
import { startClickHouse } from '../../storage/test/support/clickhouse-server.ts';
import { generateTrace, mulberry32 } from '../src/index.ts';

const bin = new URL('../bin/genba.mjs', import.meta.url).pathname;
const dataDir = process.env.KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'genba-crash-'));
after(() => process.env.KEEP_DIR || rmSync(dataDir, { recursive: true, force: true }));

// A config file as a user writes one: OTLP/HTTP into the store, on free ports.
const configDir = mkdtempSync(join(tmpdir(), 'genba-crash-config-'));
after(() => rmSync(configDir, { recursive: true, force: true }));
const configFile = join(configDir, 'genba.yaml');
writeFileSync(
  configFile,
  `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  memory_limiter:
    limit_mib: 8000
exporters:
  store:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter]
      exporters: [store]
genba:
  query:
    endpoint: 127.0.0.1:0
`,
);

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

async function serve(extraArgs: string[]): Promise<{ child: ChildProcess; otlp: string; query: string }> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--data-dir', dataDir, '--config', configFile, '--log-level', 'silent', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`genba serve exited with ${code}: ${out}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const otlp = /OTLP\/HTTP\s+(\S+)\/v1\/traces/.exec(out);
      const query = /metrics\s+(\S+)\/metrics/.exec(out);
      if (otlp && query) resolve({ child, otlp: otlp[1], query: query[1] });
    });
  });
}

/** Streams spans, kills the server with SIGKILL, restarts it; returns the spans acknowledged per trace. */
async function killDuringIngest(extraArgs: string[]): Promise<Map<string, number>> {
  const first = await serve(extraArgs);
  const rng = mulberry32(7);
  const acked = new Map<string, number>();
  let stop = false;
  const senders = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const spans = Array.from({ length: 20 }, () =>
        generateTrace(rng, BigInt(Date.now()) * 1_000_000n),
      ).flat();
      try {
        const res = await fetch(`${first.otlp}/v1/traces`, {
          method: 'POST',
          body: encodeTraceRequest(spans),
          headers: { 'content-type': 'application/x-protobuf' },
        });
        if (res.ok) for (const s of spans) acked.set(s.traceId, (acked.get(s.traceId) ?? 0) + 1);
      } catch {
        return; // the server is gone
      }
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  const gone = exited(first.child);
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.all(senders);
  await gone;
  assert.ok(acked.size > 20, `only ${acked.size} traces were acknowledged before the kill`);

  const second = await serve(extraArgs);
  try {
    const ids = [...acked.keys()];
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      const res = await fetch(`${second.query}/api/traces?${chunk.map((id) => `traceID=${id}`).join('&')}`);
      const body = (await res.json()) as { data: { traceID: string; spans: unknown[] }[] };
      const found = new Map(body.data.map((t) => [t.traceID, t.spans.length]));
      for (const id of chunk)
        assert.equal(found.get(id), acked.get(id), `trace ${id} lost spans after kill -9`);
    }
  } finally {
    const gone2 = exited(second.child);
    second.child.kill('SIGTERM');
    await gone2;
  }
  return acked;
}

function spanCount(acked: Map<string, number>): number {
  return [...acked.values()].reduce((a, b) => a + b, 0);
}

test('acknowledged spans survive kill -9', { timeout: 120_000 }, async (t) => {
  const acked = await killDuringIngest([]);
  t.diagnostic(`${spanCount(acked)} spans in ${acked.size} traces acknowledged before the kill`);
});

test(
  'acknowledged spans survive kill -9 with --storage clickhouse:// (18.16 server)',
  { timeout: 120_000 },
  async (t) => {
    const ch = await startClickHouse();
    try {
      const acked = await killDuringIngest([
        '--storage',
        `${ch.url.replace('http', 'clickhouse')}/genba_crash`,
      ]);
      // The spans are in the ClickHouse server, not in the embedded store: at least every acknowledged one.
      const total = spanCount(acked);
      t.diagnostic(`${total} spans in ${acked.size} traces acknowledged before the kill`);
      const stored = Number(await ch.query('SELECT count() FROM genba_crash.spans'));
      assert.ok(stored >= total, `the ClickHouse server holds ${stored} spans, ${total} were acknowledged`);
    } finally {
      await ch.stop();
    }
  },
);

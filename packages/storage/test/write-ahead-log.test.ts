/**
 * The embedded store acknowledges a write once it is in its write-ahead log and inserts later, in
 * batches. A real child process writes and is killed with SIGKILL before it can insert; opening
 * the store again must insert every acknowledged span, and a write the kill cut short must not
 * stop the replay.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Span } from '@genba/model';
import { openEmbeddedStore } from '../src/index.ts';
import { loadFixture } from './conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'genba-wal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const toJson = (spans: Span[]) => JSON.stringify(spans, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

/** Three batches: the fixture's traces, each under new ids so batches do not overlap. */
function batches(): Span[][] {
  const fixture = loadFixture('basic.otlp.json');
  return [1, 2, 3].map((b) => fixture.map((s) => ({ ...s, traceId: `${b}${s.traceId.slice(1)}` })));
}

test('spans acknowledged before a kill -9 are inserted when the store opens again', async () => {
  const sent = batches();
  const child = spawn(
    process.execPath,
    [new URL('./support/wal-writer.mjs', import.meta.url).pathname, dir],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(text)) resolve();
      };
      child.stdout!.on('data', (d) => {
        out += d;
        check();
      });
      child.once('exit', (code) => reject(new Error(`writer exited (${code}) before "${text}": ${out}`)));
      check();
    });
  await waitFor('ready');
  for (const b of sent) child.stdin!.write(`${toJson(b)}\n`);
  await waitFor(`acked ${sent.length}`);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  // A write the kill cut short: the start of a frame and nothing more.
  const wal = join(dir, readdirSync(dir).find((n) => n.startsWith('genba-wal'))!);
  const segments = readdirSync(wal).filter((n) => n.endsWith('.wal'));
  const last = join(wal, segments.at(-1) ?? '999999999999.wal');
  appendFileSync(last, Buffer.from([0xff, 0x00, 0x00, 0x00, 0x47]));
  assert.ok(statSync(last).size > 0);

  const store = await openEmbeddedStore({ dataDir: dir });
  try {
    for (const b of sent) {
      const ids = [...new Set(b.map((s) => s.traceId))];
      const found = await store.getTraces(ids);
      for (const id of ids)
        assert.equal(found.get(id)?.length, b.filter((s) => s.traceId === id).length, `trace ${id}`);
    }
    assert.deepEqual(
      readdirSync(wal).filter((n) => n.endsWith('.wal')),
      [],
      'replayed segments are removed',
    );
  } finally {
    await store.close();
  }
});

test("a killed process's insert file is removed from the spool when a store opens", async () => {
  const spool = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const orphan = join(spool, `genba-insert-${gone}-00000000-0000-4000-8000-000000000000.bin`);
  const ours = join(spool, `genba-insert-${process.pid}-00000000-0000-4000-8000-000000000001.bin`);
  writeFileSync(orphan, 'rows');
  writeFileSync(ours, 'rows');
  try {
    const store = await openEmbeddedStore({ dataDir: mkdtempSync(join(dir, 'spool-')) });
    await store.close();
    assert.equal(existsSync(orphan), false, 'the dead process left it');
    assert.equal(existsSync(ours), true, 'a live process may still use it');
  } finally {
    rmSync(orphan, { force: true });
    rmSync(ours, { force: true });
  }
});

#!/usr/bin/env node
// Everything `npm test` needs beyond `npm ci`: Debian's Chromium for the browser tests, Debian's
// ClickHouse server for the storage tests, and the built web UI that the server serves. Each step
// fails with a message naming what is missing and how to install it.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const steps = [
  ['scripts/ensure-debian-tool.mjs', 'chromium'],
  ['scripts/ensure-debian-tool.mjs', 'clickhouse'],
  ['scripts/build-web.mjs'],
];
for (const [step, ...args] of steps) {
  const r = spawnSync(process.execPath, [step, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`pretest: ${step} failed; see its message above.`);
    process.exit(r.status ?? 1);
  }
}

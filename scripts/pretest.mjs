#!/usr/bin/env node
// Everything `npm test` needs beyond `npm ci`: Debian's Chromium for the browser tests, and the
// built web UI that the server serves. Each step fails with a message naming what is missing.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
for (const step of ['scripts/ensure-chromium.mjs', 'scripts/build-web.mjs']) {
  const r = spawnSync(process.execPath, [step], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`pretest: ${step} failed; see its message above.`);
    process.exit(r.status ?? 1);
  }
}

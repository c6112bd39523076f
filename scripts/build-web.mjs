#!/usr/bin/env node
// Builds the web UI (apps/web → apps/web/dist) with the workspace's local vite, unless dist is
// already newer than every source file. `--force` builds anyway. Prints what it did.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'apps/web');
const distIndex = join(web, 'dist/index.html');
const force = process.argv.includes('--force');

/** The newest modification time among the inputs of the build, with the file that has it. */
function newestInput() {
  const inputs = [
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(web, 'package.json'),
    join(web, 'tsconfig.json'),
  ];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else inputs.push(p);
    }
  };
  walk(join(web, 'src'));
  let newest = { mtime: 0, file: '' };
  for (const f of inputs) {
    if (!existsSync(f)) continue;
    const m = statSync(f).mtimeMs;
    if (m > newest.mtime) newest = { mtime: m, file: f };
  }
  return newest;
}

const newest = newestInput();
if (!force && existsSync(distIndex) && statSync(distIndex).mtimeMs > newest.mtime) {
  console.log('build-web: apps/web/dist is up to date, skipping the build');
  process.exit(0);
}

const reason = force
  ? '--force'
  : existsSync(distIndex)
    ? `${relative(root, newest.file)} changed`
    : 'no apps/web/dist yet';
const viteBin = [
  join(root, 'node_modules/vite/bin/vite.js'),
  join(web, 'node_modules/vite/bin/vite.js'),
].find(existsSync);
if (!viteBin) {
  console.error('build-web: vite is not installed; run `npm ci` at the repository root');
  process.exit(1);
}
console.log(`build-web: building apps/web (${reason})`);
const started = Date.now();
const r = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
  cwd: web,
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error(`build-web: vite build failed (exit ${r.status ?? r.signal})`);
  process.exit(r.status ?? 1);
}
console.log(`build-web: built apps/web/dist in ${((Date.now() - started) / 1000).toFixed(1)}s`);

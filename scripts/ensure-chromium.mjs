#!/usr/bin/env node
// Makes sure a Chromium that playwright-core can drive is present.
// Order: $CHROMIUM_PATH, then the usual Debian/Ubuntu paths. When none exists and we are root
// with apt-get, installs Debian's `chromium` package (no other browser download works here).
// Prints the path it found; exits non-zero with the fix when it cannot.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
].filter((p) => typeof p === 'string' && p.length > 0);

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function find() {
  return candidates.find(executable);
}

function hasAptGet() {
  const r = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

function run(cmd, args) {
  console.log(`ensure-chromium: running ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

let found = find();
if (found) {
  console.log(`ensure-chromium: using ${found}`);
  process.exit(0);
}

if (process.env.CHROMIUM_PATH) {
  console.error(`ensure-chromium: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && hasAptGet()) {
  console.log('ensure-chromium: Chromium not found; installing Debian package "chromium"');
  if (run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium'])) {
    found = find();
  }
}

if (found) {
  console.log(`ensure-chromium: installed, using ${found}`);
  process.exit(0);
}

console.error(
  'ensure-chromium: missing Chromium (looked at ' +
    candidates.join(', ') +
    ').\n' +
    "The browser tests drive Debian's Chromium through playwright-core. Install it with:\n" +
    '  sudo apt-get install chromium\n' +
    'or point CHROMIUM_PATH at an existing Chromium/Chrome binary.',
);
process.exit(1);

#!/usr/bin/env node
// Makes sure a program that the tests need is present: `node ensure-debian-tool.mjs chromium`
// or `… clickhouse`. Order: the tool's env variable, then the usual Debian paths. When none
// exists and we are root with apt-get, installs the Debian package. Prints the path it found;
// exits non-zero with the install command when it cannot.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const TOOLS = {
  chromium: {
    env: 'CHROMIUM_PATH',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'],
    pkg: 'chromium',
    why: "The browser tests drive Debian's Chromium through playwright-core.",
  },
  clickhouse: {
    env: 'CLICKHOUSE_SERVER_PATH',
    paths: ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'],
    pkg: 'clickhouse-server',
    why: 'The storage tests start ClickHouse servers (Debian ships 18.16) on loopback ports.',
  },
};

const name = process.argv[2];
const tool = TOOLS[name];
if (tool === undefined) {
  console.error(
    `ensure-debian-tool: unknown tool ${JSON.stringify(name)}; one of ${Object.keys(TOOLS).join(', ')}`,
  );
  process.exit(2);
}
const tag = `ensure-${name}`;
const candidates = [process.env[tool.env], ...tool.paths].filter(
  (p) => typeof p === 'string' && p.length > 0,
);

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const find = () => candidates.find(executable);

function hasAptGet() {
  const r = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

function run(cmd, args) {
  console.log(`${tag}: running ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

let found = find();
if (found) {
  console.log(`${tag}: using ${found}`);
  process.exit(0);
}
if (process.env[tool.env])
  console.error(`${tag}: ${tool.env}=${process.env[tool.env]} is not an executable file`);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && hasAptGet()) {
  console.log(`${tag}: not found; installing Debian package "${tool.pkg}"`);
  if (run('apt-get', ['update']) && run('apt-get', ['install', '-y', tool.pkg])) found = find();
}
if (found) {
  console.log(`${tag}: installed, using ${found}`);
  process.exit(0);
}
console.error(
  `${tag}: missing ${name} (looked at ${candidates.join(', ')}).\n${tool.why} Install it with:\n` +
    `  sudo apt-get install ${tool.pkg}\nor point ${tool.env} at an existing binary.`,
);
process.exit(1);

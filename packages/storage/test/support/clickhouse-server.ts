/**
 * Starts real ClickHouse servers (Debian's clickhouse-server) for tests: one alone, or several
 * as the shards of a cluster. Each has its own data dir under the OS temp dir, listens on
 * loopback only and on free ports. `npm test`'s pretest installs the package; when it is still
 * missing, starting fails with the command that installs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterLayout, type ServerPorts, writeServerConfig } from './clickhouse-config.ts';

const BINARIES = [
  process.env.CLICKHOUSE_SERVER_PATH,
  '/usr/sbin/clickhouse-server',
  '/usr/bin/clickhouse-server',
];
const START_TIMEOUT_MS = 20_000;

export interface ClickHouseServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly dataDir: string;
  query(sql: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ClickHouseCluster {
  /** The cluster's name in every shard's `<remote_servers>`, for `Distributed(name, ...)`. */
  readonly name: string;
  /** In shard order: shard i of the cluster is `shards[i]`. */
  readonly shards: readonly ClickHouseServer[];
  stop(): Promise<void>;
}

function findBinary(): string {
  for (const b of BINARIES) {
    if (b === undefined || b === '') continue;
    try {
      accessSync(b, constants.X_OK);
      return b;
    } catch {}
  }
  throw new Error(
    'clickhouse-server is missing: install it with `sudo apt-get install clickhouse-server` ' +
      '(or run `node scripts/ensure-debian-tool.mjs clickhouse`), or set CLICKHOUSE_SERVER_PATH',
  );
}

/** `count` distinct free loopback ports: all are held open together, so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

function serverPorts(ports: number[], i: number): ServerPorts {
  return { http: ports[3 * i]!, tcp: ports[3 * i + 1]!, interserver: ports[3 * i + 2]! };
}

/** The end of the server's error log, or of its stderr when it died before opening the log. */
function logTail(dir: string, stderr: string): string {
  let text = stderr;
  try {
    text = readFileSync(join(dir, 'log', 'clickhouse-server.err.log'), 'utf8');
  } catch {}
  return text.trim().split('\n').slice(-15).join('\n') || '(nothing logged)';
}

async function kill(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts one server in `dir` and waits until it answers over HTTP; on failure, cleans up and throws. */
async function launch(
  label: string,
  dir: string,
  ports: ServerPorts,
  cluster?: ClusterLayout,
): Promise<ClickHouseServer> {
  let child: ChildProcess;
  try {
    const config = writeServerConfig(dir, ports, cluster);
    child = spawn(findBinary(), [`--config-file=${config}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // 'close', not 'exit': a failed spawn emits only 'error' and 'close'; the wait below reports it.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.on('error', () => {});
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  const url = `http://127.0.0.1:${ports.http}`;
  const query = async (sql: string) => {
    const res = await fetch(`${url}/`, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.trim()}`);
    return text;
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await query('SELECT 1');
      break;
    } catch (err) {
      const gone = child.exitCode !== null || child.signalCode !== null;
      if (gone || Date.now() > deadline) {
        await kill(child, exited, 'SIGKILL');
        const tail = logTail(dir, stderr);
        rmSync(dir, { recursive: true, force: true });
        throw new Error(
          `${label} did not start (${gone ? `exit ${child.exitCode ?? child.signalCode}` : 'timed out'}; ` +
            `last attempt: ${String(err)}). Its log dir ${dir}/log, now removed, ended with:\n${tail}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    dataDir: dir,
    query,
    async stop() {
      await kill(child, exited, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startClickHouse(): Promise<ClickHouseServer> {
  findBinary();
  const ports = await freePorts(3);
  return launch('clickhouse-server', mkdtempSync(join(tmpdir(), 'genba-ch-')), serverPorts(ports, 0));
}

/**
 * Starts `shards` servers (default 2) in parallel, each listing all of them, in order, as the
 * shards of cluster `name` (default 'genba'). If any fails to start, the others are stopped.
 */
export async function startClickHouseCluster(
  opts: { shards?: number; name?: string } = {},
): Promise<ClickHouseCluster> {
  const { shards: count = 2, name = 'genba' } = opts;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`shards must be a positive integer, not ${count}`);
  }
  findBinary();
  const ports = await freePorts(3 * count);
  const layout: ClusterLayout = { name, shardTcpPorts: ports.filter((_, i) => i % 3 === 1) };
  const started = await Promise.allSettled(
    // async, so that a synchronous throw (mkdtemp) is one more rejection, not a lost shard
    layout.shardTcpPorts.map(async (_, i) =>
      launch(
        `clickhouse-server shard ${i} of cluster ${name}`,
        mkdtempSync(join(tmpdir(), `genba-ch-${name}-${i}-`)),
        serverPorts(ports, i),
        layout,
      ),
    ),
  );
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = started.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length > 0) {
    await Promise.allSettled(servers.map((s) => s.stop()));
    throw new Error(`ClickHouse cluster ${name} did not start:\n${failures.join('\n')}`);
  }
  return {
    name,
    shards: servers,
    async stop() {
      const results = await Promise.allSettled(servers.map((s) => s.stop()));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (errors.length > 0) throw new AggregateError(errors, `stopping cluster ${name} failed`);
    },
  };
}

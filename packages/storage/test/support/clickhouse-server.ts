/**
 * Starts a real ClickHouse server (Debian's clickhouse-server) for tests: its own data dir under
 * the OS temp dir, loopback only, free ports. `npm test`'s pretest installs the package; when it
 * is still missing, `start` fails with the command that installs it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARIES = [
  process.env.CLICKHOUSE_SERVER_PATH,
  '/usr/sbin/clickhouse-server',
  '/usr/bin/clickhouse-server',
];

export interface ClickHouseServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly dataDir: string;
  query(sql: string): Promise<string>;
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

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Debian's config with our paths and ports; the packaged file is the one source of defaults. */
function writeConfig(dir: string, http: number, tcp: number, interserver: number): string {
  const base = readFileSync('/etc/clickhouse-server/config.xml', 'utf8')
    .replaceAll('/var/lib/clickhouse/', `${dir}/data/`)
    .replaceAll('/var/log/clickhouse-server/', `${dir}/log/`)
    .replace(/<http_port>\d+<\/http_port>/, `<http_port>${http}</http_port>`)
    .replace(/<tcp_port>\d+<\/tcp_port>/, `<tcp_port>${tcp}</tcp_port>`)
    .replace(
      /<interserver_http_port>\d+<\/interserver_http_port>/,
      `<interserver_http_port>${interserver}</interserver_http_port>`,
    )
    .replace(/<listen_host>::1<\/listen_host>/, '');
  writeFileSync(join(dir, 'config.xml'), base);
  writeFileSync(join(dir, 'users.xml'), readFileSync('/etc/clickhouse-server/users.xml', 'utf8'));
  return join(dir, 'config.xml');
}

export async function startClickHouse(): Promise<ClickHouseServer> {
  const binary = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'genba-ch-'));
  const [http, tcp, interserver] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(binary, [`--config-file=${writeConfig(dir, http, tcp, interserver)}`], {
    cwd: dir,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${http}`;
  const query = async (sql: string) => {
    const res = await fetch(`${url}/`, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.trim()}`);
    return text;
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await query('SELECT 1');
      break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`clickhouse-server did not start (see ${dir}/log): ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    dataDir: dir,
    query,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

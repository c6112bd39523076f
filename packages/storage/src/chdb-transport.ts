/**
 * The embedded engine: ClickHouse run in this process by chdb, under a data directory.
 * One writer session and a small pool of reader sessions, all async, so no query blocks
 * the event loop and reads never wait behind a long insert.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { StorageError } from './errors.ts';
import { stringLiteral } from './sql-literal.ts';
import type { QueryParams, QuerySettings, RowLayout, Transport } from './transport.ts';

/** ` SETTINGS k=v, …` for settings written by Genba's code (names are ours, values numbers). */
function settingsClause(settings: QuerySettings | undefined): string {
  const list = Object.entries(settings ?? {}).map(([k, v]) => `${k}=${Number(v)}`);
  return list.length ? ` SETTINGS ${list.join(', ')}` : '';
}

const INSERT_FILE = /^genba-insert-(\d+)-[0-9a-f-]+\.(bin|jsonl)$/;

/** Insert files of processes that are gone (a killed server leaves its last one, in RAM). */
function removeOrphanedInserts(spool: string): void {
  for (const name of readdirSync(spool)) {
    const pid = Number(INSERT_FILE.exec(name)?.[1] ?? 0);
    if (pid === 0 || pid === process.pid || alive(pid)) continue;
    rmSync(join(spool, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Buffers per writev call, under the kernel's IOV_MAX of 1024. */
const IOV_BATCH = 1000;

export interface ChdbTransportOptions {
  dataDir: string;
  /** Reader sessions; reads beyond this many wait their turn. */
  readers?: number;
}

export class ChdbTransport implements Transport {
  #writer: Session;
  #readers: Session[];
  #idle: Session[];
  #waiting: ((s: Session) => void)[] = [];
  #writeChain: Promise<unknown> = Promise.resolve();
  #spool: string;
  #closed = false;

  constructor(opts: ChdbTransportOptions) {
    mkdirSync(opts.dataDir, { recursive: true });
    try {
      this.#writer = new Session(opts.dataDir);
      this.#readers = Array.from({ length: opts.readers ?? 2 }, () => new Session(opts.dataDir));
    } catch (err) {
      throw new StorageError(
        `cannot open the embedded store in ${opts.dataDir}: ${(err as Error).message}`,
        'unavailable',
        {
          cause: err,
        },
      );
    }
    this.#idle = [...this.#readers];
    // A RAM-backed spool keeps the insert files off the disk; the table parts are what must be durable.
    this.#spool = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    removeOrphanedInserts(this.#spool);
  }

  async exec(sql: string, params?: QueryParams): Promise<void> {
    await this.#onWriter(() => this.#run(this.#writer, sql, params, 'TSV'));
  }

  async rows<T>(sql: string, params?: QueryParams, settings: QuerySettings = {}): Promise<T[]> {
    const session = await this.#acquire();
    try {
      const text = await this.#run(
        session,
        `${sql}${settingsClause({ output_format_json_quote_64bit_integers: 1, ...settings })}`,
        params,
        'JSONEachRow',
      );
      if (text === '') return [];
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as T);
    } finally {
      this.#release(session);
    }
  }

  async insertRows(
    table: string,
    layout: RowLayout,
    rows: Uint8Array | readonly Uint8Array[],
  ): Promise<void> {
    const parts = (rows instanceof Uint8Array ? [rows] : rows).filter((p) => p.length > 0);
    if (parts.length === 0) return;
    // A file then INSERT … SELECT FROM file() is the fastest binary insert chdb offers. The parts go
    // in one writev, not writeFile's 512 KiB chunks, each of which waits for a turn of a busy event loop.
    const file = join(this.#spool, `genba-insert-${process.pid}-${randomUUID()}.bin`);
    try {
      const fh = await open(file, 'w');
      try {
        for (let i = 0; i < parts.length; i += IOV_BATCH) await fh.writev(parts.slice(i, i + IOV_BATCH));
      } finally {
        await fh.close();
      }
      const sql = `INSERT INTO ${table} SELECT ${layout.select} FROM file(${stringLiteral(file)}, 'RowBinary', ${stringLiteral(layout.structure)})${settingsClause(layout.settings)}`;
      await this.#onWriter(() => this.#run(this.#writer, sql, undefined, 'TSV'));
    } finally {
      await rm(file, { force: true });
    }
  }

  async version(): Promise<string> {
    const [row] = await this.rows<{ v: string }>('SELECT version() AS v');
    return row.v;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writeChain.catch(() => {});
    for (const s of [this.#writer, ...this.#readers]) s.close();
  }

  /** Writes run one at a time on the writer session, in arrival order. */
  #onWriter<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#writeChain.then(fn, fn);
    this.#writeChain = next.catch(() => {});
    return next;
  }

  async #run(
    session: Session,
    sql: string,
    params: QueryParams | undefined,
    format: string,
  ): Promise<string> {
    if (this.#closed) throw new StorageError('the store is closed', 'unavailable');
    try {
      const result = params
        ? await session.queryBindAsync(sql, params, { format })
        : await session.queryAsync(sql, { format });
      return result.text();
    } catch (err) {
      throw new StorageError(`query failed: ${(err as Error).message}`, 'internal', { cause: err });
    }
  }

  async #acquire(): Promise<Session> {
    const s = this.#idle.pop();
    if (s) return s;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(s: Session): void {
    const next = this.#waiting.shift();
    if (next) next(s);
    else this.#idle.push(s);
  }
}

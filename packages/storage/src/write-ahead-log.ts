/**
 * The write-ahead log of the embedded store: each acknowledged write is appended to a segment file
 * before the receiver answers, so the engine can take spans in few large inserts (each insert costs
 * tens of milliseconds of part files, whatever its size) without losing any to a crash.
 *
 * A segment collects records until `seal()`; the store inserts the sealed records, then `remove()`s
 * the segment. On open, segments left by a crash come back as leftovers, to be inserted first.
 * Appends are not fsynced: like ClickHouse's own parts, they survive a killed process (the kernel
 * holds them), not a lost machine.
 */

import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWalRecords, encodeWalRecord, type WalRecord } from './wal-record.ts';

export interface WalSegment {
  /** The files that hold these records (more than one only after a failed append). */
  files: string[];
  records: WalRecord[];
  /** Spans in the records. */
  count: number;
  /** `appendedRecords` when the segment was sealed (0 for a previous run's segment). */
  endSeq: number;
}

const SUFFIX = '.wal';

export class WriteAheadLog {
  #dir: string;
  #seq: number;
  #fh: FileHandle | undefined;
  #files: string[] = [];
  #size = 0;
  #records: WalRecord[] = [];
  #count = 0;
  #since = 0;
  #appended = 0;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, seq: number) {
    this.#dir = dir;
    this.#seq = seq;
  }

  /** Opens the log in `dir` (created when missing) and reads the segments a previous run left. */
  static async open(dir: string): Promise<{ log: WriteAheadLog; leftovers: WalSegment[] }> {
    await mkdir(dir, { recursive: true });
    const names = (await readdir(dir)).filter((n) => /^\d+\.wal$/.test(n)).sort();
    const leftovers: WalSegment[] = [];
    for (const name of names) {
      const file = join(dir, name);
      const records = decodeWalRecords(await readFile(file));
      leftovers.push({ files: [file], records, count: sum(records), endSeq: 0 });
    }
    const last = names.length ? Number.parseInt(names[names.length - 1], 10) : 0;
    return { log: new WriteAheadLog(dir, last + 1), leftovers };
  }

  /** Spans appended since the last seal. */
  get pendingSpans(): number {
    return this.#count;
  }

  /** `performance.now()` of the first record appended since the last seal. */
  get pendingSince(): number {
    return this.#since;
  }

  /** Records appended since the log was opened. */
  get appendedRecords(): number {
    return this.#appended;
  }

  /** Appends one record; resolves once it is in the segment file. A failed append leaves no trace. */
  append(record: WalRecord): Promise<void> {
    return this.#serial(async () => {
      this.#fh ??= await this.#openSegment();
      const parts = encodeWalRecord(record);
      try {
        await this.#fh.writev(parts);
      } catch (err) {
        await this.#cutBack();
        throw err;
      }
      for (const p of parts) this.#size += p.length;
      if (this.#records.length === 0) this.#since = performance.now();
      this.#records.push(record);
      this.#count += record.count;
      this.#appended++;
    });
  }

  /** Closes the current segment and returns its records; later appends go to a new segment. */
  seal(): Promise<WalSegment | undefined> {
    return this.#serial(async () => {
      if (this.#records.length === 0) return undefined;
      await this.#fh?.close();
      const segment: WalSegment = {
        files: this.#files,
        records: this.#records,
        count: this.#count,
        endSeq: this.#appended,
      };
      this.#fh = undefined;
      this.#files = [];
      this.#records = [];
      this.#count = 0;
      return segment;
    });
  }

  /** Deletes a segment whose records are stored in the engine. */
  async remove(segment: WalSegment): Promise<void> {
    await Promise.all(segment.files.map((f) => rm(f, { force: true })));
  }

  /** Closes the current segment file; unsealed records stay on disk for the next open. */
  close(): Promise<void> {
    return this.#serial(async () => {
      await this.#fh?.close();
      this.#fh = undefined;
    });
  }

  async #openSegment(): Promise<FileHandle> {
    const file = join(this.#dir, `${String(this.#seq++).padStart(12, '0')}${SUFFIX}`);
    const fh = await open(file, 'a');
    this.#files.push(file);
    this.#size = 0;
    return fh;
  }

  /** Removes what a failed append wrote; when that fails too, later appends go to a fresh file. */
  async #cutBack(): Promise<void> {
    try {
      await this.#fh!.truncate(this.#size);
    } catch {
      await this.#fh!.close().catch(() => {});
      this.#fh = undefined;
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch(() => {});
    return next;
  }
}

function sum(records: WalRecord[]): number {
  let n = 0;
  for (const r of records) n += r.count;
  return n;
}

/**
 * Writes resolve once they are in the write-ahead log; the engine gets them in batches of at least
 * FLUSH_SPANS spans or every FLUSH_DELAY_MS, whichever comes first, and at once when a read asks.
 * An insert costs tens of milliseconds of part files whatever its size (measured on chdb: a 1-span
 * insert 25 ms without views, 65 ms with them), so batches of 1000 spans could not pass ~20k
 * spans/s; at 200k a batch, ingest through the receiver went from 72k to 86k spans/s against 50k.
 */
import type { Inserter, InsertRecords } from './inserter.ts';
import type { WalRecord } from './wal-record.ts';
import type { WalSegment, WriteAheadLog } from './write-ahead-log.ts';

const FLUSH_SPANS = 200_000;
const FLUSH_DELAY_MS = 1_000;
/** Acknowledged but not inserted (about 680 B a span in memory): past this, writes wait, and the
 * receiver's memory limiter sees them in flight. */
const MAX_QUEUED_SPANS = 600_000;
const MAX_BACKOFF_MS = 10_000;

export class LoggedInserter implements Inserter {
  #wal: WriteAheadLog;
  #insert: InsertRecords;
  /** A sealed segment whose insert failed: retried before anything newer, so `#stored` stays a prefix. */
  #retry: WalSegment | undefined;
  #stored = 0;
  #queued = 0;
  #failed = 0;
  #urgent = false;
  #closing = false;
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #readers: { seq: number; resolve: () => void }[] = [];
  #writers: (() => void)[] = [];

  constructor(wal: WriteAheadLog, insert: InsertRecords) {
    this.#wal = wal;
    this.#insert = insert;
  }

  get queuedSpans(): number {
    return this.#queued;
  }

  get failedInserts(): number {
    return this.#failed;
  }

  async write(record: WalRecord): Promise<void> {
    while (this.#queued >= MAX_QUEUED_SPANS && !this.#closing) {
      this.#urgent = true;
      this.#kick();
      await new Promise<void>((resolve) => this.#writers.push(resolve));
    }
    await this.#wal.append(record);
    this.#queued += record.count;
    this.#kick();
  }

  settle(): Promise<void> {
    const seq = this.#wal.appendedRecords;
    if (this.#stored >= seq) return Promise.resolve();
    this.#urgent = true;
    return new Promise((resolve) => {
      this.#readers.push({ seq, resolve });
      this.#kick();
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#kick();
    await this.#running;
    await this.#wal.close();
    this.#wake(true);
  }

  #due(): boolean {
    if (this.#retry) return true;
    const pending = this.#wal.pendingSpans;
    if (pending === 0) return false;
    return (
      this.#urgent ||
      this.#closing ||
      pending >= FLUSH_SPANS ||
      performance.now() - this.#wal.pendingSince >= FLUSH_DELAY_MS
    );
  }

  #kick(): void {
    if (this.#running) return;
    if (this.#due()) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#running = this.#run();
      return;
    }
    if (!this.#timer && this.#wal.pendingSpans > 0) {
      const wait = Math.max(0, FLUSH_DELAY_MS - (performance.now() - this.#wal.pendingSince));
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#kick();
      }, wait);
    }
  }

  async #run(): Promise<void> {
    let backoff = 0;
    while (this.#due()) {
      if (backoff > 0) {
        // At close, one attempt is enough: what is left stays in the log for the next open.
        if (this.#closing) break;
        await new Promise((r) => setTimeout(r, backoff));
      }
      this.#urgent = false;
      const segment = this.#retry ?? (await this.#wal.seal());
      if (!segment) break;
      try {
        await this.#insert(segment.records);
        this.#retry = undefined;
        this.#stored = segment.endSeq;
        this.#queued -= segment.count;
        backoff = 0;
        await this.#wal.remove(segment).catch(() => {});
        this.#wake(false);
      } catch {
        this.#failed++;
        this.#retry = segment;
        backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : 100);
        // Readers go on with what is stored rather than wait for an engine that may be gone.
        this.#wake(true);
      }
    }
    this.#running = undefined;
    if (!this.#closing) this.#kick();
  }

  /** Resolves readers whose writes are stored (all of them after a failure) and waiting writers. */
  #wake(all: boolean): void {
    const waiting = this.#readers;
    this.#readers = [];
    for (const r of waiting) {
      if (all || r.seq <= this.#stored) r.resolve();
      else this.#readers.push(r);
    }
    if (this.#queued < MAX_QUEUED_SPANS || all) for (const w of this.#writers.splice(0)) w();
  }
}

/**
 * How encoded writes reach the engine. Two kinds: `GroupCommit` resolves each write once its rows
 * are inserted; `LoggedInserter` resolves once they are in the write-ahead log and inserts later, in
 * larger batches. Reads call `settle()` first, so either way a read sees every write that resolved.
 */
import type { WalRecord } from './wal-record.ts';

/** Inserts a group of records into the engine, as one insert per table and shard. */
export type InsertRecords = (records: WalRecord[]) => Promise<void>;

export interface Inserter {
  /** Resolves when the record is durable: inserted, or in the write-ahead log. */
  write(record: WalRecord): Promise<void>;
  /** Resolves when every write that resolved before the call is readable (or its insert failed). */
  settle(): Promise<void>;
  /** Acknowledged spans not yet inserted. */
  readonly queuedSpans: number;
  /** Inserts that failed and were retried (or, for GroupCommit, reported to the writer). */
  readonly failedInserts: number;
  /** Inserts what it can, then stops. */
  close(): Promise<void>;
}

/** Upper bound of spans merged into one insert, to keep memory bounded. */
const MAX_GROUP_SPANS = 100_000;

interface Waiting {
  record: WalRecord;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Writes that arrive while an insert runs are merged into the next insert (group commit), so many
 * small requests cost few inserts; each writer still resolves only when its rows are inserted. */
export class GroupCommit implements Inserter {
  #insert: InsertRecords;
  #pending: Waiting[] = [];
  #running: Promise<void> | undefined;
  #failed = 0;

  constructor(insert: InsertRecords) {
    this.#insert = insert;
  }

  get queuedSpans(): number {
    let n = 0;
    for (const w of this.#pending) n += w.record.count;
    return n;
  }

  get failedInserts(): number {
    return this.#failed;
  }

  write(record: WalRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ record, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  settle(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.#running;
  }

  async #run(): Promise<void> {
    while (this.#pending.length > 0) {
      const group: Waiting[] = [];
      let count = 0;
      while (
        this.#pending.length > 0 &&
        (group.length === 0 || count + this.#pending[0].record.count <= MAX_GROUP_SPANS)
      ) {
        const w = this.#pending.shift()!;
        group.push(w);
        count += w.record.count;
      }
      try {
        await this.#insert(group.map((w) => w.record));
        for (const w of group) w.resolve();
      } catch (err) {
        this.#failed++;
        for (const w of group) w.reject(err);
      }
    }
    this.#running = undefined;
  }
}

/**
 * The Storage contract on ClickHouse SQL, over any Transport (chdb in process, or HTTP), for one
 * engine or the shards of a cluster. Writes are encoded to RowBinary in the caller's turn, then
 * handed to an Inserter (inserter.ts): with a write-ahead log they resolve once logged and are
 * inserted in large batches; without one, once inserted (group commit). Every read settles first,
 * so it sees every write that resolved before it.
 */
import type { Span } from '@genba/model';
import { normalizeTraceId } from '@genba/model';
import { DEPENDENCY_LAYOUT, DependencyEdges, edgesToRowBinary } from './dependency-edges.ts';
import type { Dialect } from './dialect.ts';
import { StorageError } from './errors.ts';
import { GroupCommit, type Inserter } from './inserter.ts';
import { histogramQuantile } from './latency-histogram.ts';
import { LoggedInserter } from './logged-inserter.ts';
import { dropExpiredPartitions } from './retention.ts';
import { shardOf } from './shard-routing.ts';
import { spanKindFromName, spanKindName } from './span-kind-names.ts';
import { rowsToSpans, type SpanRow, spanColumns, spansToRowBinary } from './span-rows.ts';
import type {
  DependencyLink,
  LatencyQuery,
  Operation,
  OperationLatency,
  Storage,
  StoreStats,
  TraceQuery,
  TraceSummary,
} from './storage.ts';
import { traceFilter } from './trace-filter.ts';
import type { Transport } from './transport.ts';
import type { WalRecord } from './wal-record.ts';
import type { WalSegment, WriteAheadLog } from './write-ahead-log.ts';

const SWEEP_EVERY_MS = 3_600_000;
const IDS = 'trace_id IN (SELECT toFixedString(unhex(arrayJoin({ids:Array(String)})), 16))';

export interface StoreTarget {
  dialect: Dialect;
  /** One transport per shard; a single engine is one shard. Cluster-wide reads go to the first. */
  shards: Transport[];
  /** '' for one engine; '_local' for the shard-local tables of a cluster. */
  localSuffix: string;
}

export interface ClickHouseStoreOptions {
  /** Days to keep spans; 0 or absent keeps them for ever. */
  retentionDays?: number;
  /** Acknowledge writes once they are in this log, and insert them in batches. */
  wal?: WriteAheadLog;
}

export class ClickHouseStore implements Storage {
  #d: Dialect;
  #shards: Transport[];
  #local: string;
  #retentionDays: number;
  /** The retention window in nanoseconds; 0n keeps spans for ever. */
  #windowNs: bigint;
  #wal: WriteAheadLog | undefined;
  #inserter: Inserter;
  #closed = false;
  #edges = new DependencyEdges();
  #expired = 0;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(target: StoreTarget, opts: ClickHouseStoreOptions = {}) {
    this.#d = target.dialect;
    this.#shards = target.shards;
    this.#local = target.localSuffix;
    this.#retentionDays = opts.retentionDays ?? 0;
    this.#windowNs = BigInt(Math.round(Math.max(0, this.#retentionDays) * 86_400)) * 1_000_000_000n;
    this.#wal = opts.wal;
    const insert = (records: WalRecord[]) => this.#insertRecords(records);
    this.#inserter = opts.wal ? new LoggedInserter(opts.wal, insert) : new GroupCommit(insert);
    if (this.#retentionDays > 0) {
      this.#sweeper = setInterval(() => void this.dropExpired().catch(() => {}), SWEEP_EVERY_MS);
      this.#sweeper.unref();
    }
  }

  async write(spans: readonly Span[]): Promise<void> {
    if (this.#closed) throw new StorageError('the store is closed', 'unavailable');
    const fresh = this.#unexpired(spans);
    if (fresh.length === 0) return;
    // Encoding happens now, in the caller's turn, so a bad span fails its own batch only.
    const rows: (Buffer | undefined)[] = this.#shards.map(() => undefined);
    if (this.#shards.length === 1) rows[0] = spansToRowBinary(fresh);
    else {
      const parts: Span[][] = this.#shards.map(() => []);
      for (const s of fresh) parts[shardOf(s.traceId, parts.length)].push(s);
      parts.forEach((p, i) => {
        if (p.length) rows[i] = spansToRowBinary(p);
      });
    }
    const edges = this.#edges.edges(fresh);
    await this.#inserter.write({
      count: fresh.length,
      rows,
      edges: edges.length ? edgesToRowBinary(edges) : undefined,
    });
  }

  /** Inserts what a previous run logged but had not inserted, then deletes it from the log. */
  async replay(segments: readonly WalSegment[]): Promise<void> {
    for (const segment of segments) {
      if (segment.records.length > 0) await this.#insertRecords(segment.records);
      await this.#wal?.remove(segment);
    }
  }

  /** Inserts rows already encoded by `spansToRowBinary` into the first shard, as one insert with
   * nothing around it: the engine's own rate, which benchmarks set beside `write`. */
  insertEncoded(rows: Uint8Array): Promise<void> {
    return this.#shards[0].insertRows(`spans${this.#local}`, this.#d.spanLayout, rows);
  }

  stats(): StoreStats {
    return {
      expiredSpans: this.#expired,
      queuedSpans: this.#inserter.queuedSpans,
      failedInserts: this.#inserter.failedInserts,
    };
  }

  /** Drops every day partition that is wholly older than the retention window, on every shard. */
  async dropExpired(): Promise<number> {
    if (this.#retentionDays <= 0) return 0;
    const n = await Promise.all(
      this.#shards.map((t) => dropExpiredPartitions(t, this.#retentionDays, this.#local)),
    );
    return n.reduce((a, b) => a + b, 0);
  }

  #unexpired(spans: readonly Span[]): readonly Span[] {
    if (this.#windowNs === 0n) return spans;
    const cutoff = BigInt(Date.now()) * 1_000_000n - this.#windowNs;
    let expired = 0;
    for (const s of spans) if (s.startTimeUnixNano < cutoff) expired++;
    if (expired === 0) return spans;
    this.#expired += expired;
    return spans.filter((s) => s.startTimeUnixNano >= cutoff);
  }

  /** One insert per shard for the spans, then one for the edges. */
  async #insertRecords(records: readonly WalRecord[]): Promise<void> {
    await Promise.all(
      this.#shards.map((t, i) => {
        const rows = present(records.map((r) => r.rows[i]));
        return rows.length ? t.insertRows(`spans${this.#local}`, this.#d.spanLayout, rows) : undefined;
      }),
    );
    const edges = present(records.map((r) => r.edges));
    if (edges.length)
      await this.#shards[0].insertRows(`dependencies${this.#local}`, DEPENDENCY_LAYOUT, edges);
  }

  async getTrace(traceId: string): Promise<Span[]> {
    return (await this.getTraces([traceId])).get(normalizeTraceId(traceId) ?? traceId) ?? [];
  }

  async getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>> {
    await this.#inserter.settle();
    const byShard: string[][] = this.#shards.map(() => []);
    for (const id of traceIds) {
      const n = normalizeTraceId(id);
      if (!n) throw new StorageError(`invalid trace id "${id}"`, 'invalid');
      byShard[shardOf(n, byShard.length)].push(n);
    }
    const out = new Map<string, Span[]>();
    const found = await Promise.all(byShard.map((ids, i) => (ids.length ? this.#readTraces(i, ids) : [])));
    for (const span of found.flat()) {
      const list = out.get(span.traceId);
      if (list) list.push(span);
      else out.set(span.traceId, [span]);
    }
    return out;
  }

  /** Reads traces from the one shard that holds them. The small `traces` table gives their time
   * range, which prunes partitions of `spans`. */
  async #readTraces(shard: number, ids: string[]): Promise<Span[]> {
    const t = this.#shards[shard];
    const d = this.#d;
    // toFixedString: a String set would lose the trailing zero bytes of an id and miss it.
    const [range] = await t.rows<{ n: string; s: string; e: string }>(
      `SELECT count() AS n, minMerge(t_start) AS s, maxMerge(t_end) AS e FROM traces${this.#local} WHERE ${IDS}`,
      { ids },
    );
    if (!range || String(range.n) === '0') return [];
    const rows = await t.rows<SpanRow>(
      `SELECT ${spanColumns(d)} FROM spans${this.#local}
       WHERE ${IDS} AND ${d.start} >= ${d.nanos('s')} AND ${d.start} <= ${d.nanos('e')}
       ORDER BY ${d.start}
       LIMIT 1 BY tid, sid`,
      { ids, s: BigInt(range.s), e: BigInt(range.e) },
      // A trace is a few granules: one thread reads them faster than a pool that must be fed.
      { max_threads: 1 },
    );
    return rowsToSpans(rows);
  }

  async findTraces(q: TraceQuery): Promise<TraceSummary[]> {
    const { where, params } = traceFilter(this.#d, q);
    const limit = Math.max(1, Math.min(Math.floor(q.limit), 10_000));
    await this.#inserter.settle();
    const all = this.#shards[0];
    const matches = await all.rows<{ tid: string }>(
      `SELECT lower(hex(trace_id)) AS tid, max(${this.#d.start}) AS latest FROM spans WHERE ${where}
       GROUP BY tid ORDER BY latest DESC LIMIT {limit:UInt32}`,
      { ...params, limit },
    );
    if (matches.length === 0) return [];
    const ids = matches.map((m) => m.tid);
    const rows = await all.rows<{
      tid: string;
      s: string;
      e: string;
      span_count: string;
      error_count: string;
      root_service: string;
      root_name: string;
      services: string[];
    }>(
      `SELECT lower(hex(trace_id)) AS tid, minMerge(t_start) AS s, maxMerge(t_end) AS e,
         uniqMerge(span_ids) AS span_count, uniqIfMerge(error_span_ids) AS error_count,
         maxIfMerge(root_service) AS root_service, maxIfMerge(root_name) AS root_name,
         groupUniqArrayMerge(services) AS services
       FROM traces WHERE ${IDS} GROUP BY tid`,
      { ids },
    );
    const byId = new Map(rows.map((r) => [r.tid, r]));
    const out: TraceSummary[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r) continue;
      const start = BigInt(r.s);
      out.push({
        traceId: id,
        rootService: r.root_service,
        rootName: r.root_name,
        startTimeUnixNano: start,
        durationNano: BigInt(r.e) - start,
        spanCount: Number(r.span_count),
        errorCount: Number(r.error_count),
        services: [...r.services].sort(),
      });
    }
    return out;
  }

  async getServices(): Promise<string[]> {
    await this.#inserter.settle();
    const rows = await this.#shards[0].rows<{ service: string }>(
      'SELECT service FROM services ORDER BY service',
    );
    return rows.map((r) => r.service);
  }

  async getOperations(service: string, spanKind?: string): Promise<Operation[]> {
    const params: Record<string, string | number> = { service };
    let kindFilter = '';
    if (spanKind) {
      const kind = spanKindFromName(spanKind);
      if (kind === undefined) throw new StorageError(`unknown span kind "${spanKind}"`, 'invalid');
      params.kind = kind;
      kindFilter = 'AND kind = {kind:UInt8}';
    }
    await this.#inserter.settle();
    const rows = await this.#shards[0].rows<{ name: string; kind: number }>(
      `SELECT name, kind FROM operations WHERE service = {service:String} ${kindFilter}
       GROUP BY name, kind ORDER BY name, kind`,
      params,
    );
    return rows.map((r) => ({ name: r.name, spanKind: spanKindName(Number(r.kind)) }));
  }

  async getDependencies(startMin: bigint, startMax: bigint): Promise<DependencyLink[]> {
    await this.#inserter.settle();
    const rows = await this.#shards[0].rows<{
      parent: string;
      child: string;
      calls: string;
      errors: string;
      dur: string;
      latency: [number[], (string | number)[]];
    }>(
      `SELECT parent, child, sum(calls) AS calls, sum(errors) AS errors, sum(duration_sum_ns) AS dur,
         sumMap(latencyMap.bucket, latencyMap.calls) AS latency
       FROM dependencies WHERE ${minuteWindow}
       GROUP BY parent, child ORDER BY parent, child`,
      minuteParams(startMin, startMax),
    );
    return rows.map((r) => {
      const buckets = r.latency[0].map(Number);
      const counts = r.latency[1].map(Number);
      return {
        parent: r.parent,
        child: r.child,
        callCount: Number(r.calls),
        errorCount: Number(r.errors),
        durationSumNano: BigInt(r.dur),
        p50Nano: histogramQuantile(buckets, counts, 0.5),
        p95Nano: histogramQuantile(buckets, counts, 0.95),
      };
    });
  }

  async getLatencies(q: LatencyQuery): Promise<OperationLatency[]> {
    const params = { ...minuteParams(q.startMin, q.startMax), service: q.service ?? '' };
    await this.#inserter.settle();
    const rows = await this.#shards[0].rows<{
      service: string;
      name: string;
      kind: number;
      calls: string;
      errors: string;
      q: number[];
    }>(
      `SELECT service, name, kind, countMerge(calls) AS calls, countIfMerge(errors) AS errors,
         quantilesTDigestMerge(0.5, 0.95, 0.99)(durations) AS q
       FROM latency_stats WHERE ${minuteWindow}
         ${q.service !== undefined ? 'AND service = {service:String}' : ''} ${q.rootOnly ? 'AND is_root = 1' : ''}
       GROUP BY service, name, kind ORDER BY service, name, kind`,
      params,
    );
    return rows.map((r) => ({
      service: r.service,
      name: r.name,
      spanKind: spanKindName(Number(r.kind)),
      count: Number(r.calls),
      errorCount: Number(r.errors),
      p50Nano: Number(r.q[0]),
      p95Nano: Number(r.q[1]),
      p99Nano: Number(r.q[2]),
    }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    await this.#inserter.close();
    await Promise.all(this.#shards.map((t) => t.close()));
  }
}

const minuteWindow = 'minute >= toDateTime({from:UInt32}) AND minute <= toDateTime({to:UInt32})';

/** A window over per-minute rows: every minute that overlaps [startMin, startMax]. */
function minuteParams(startMin: bigint, startMax: bigint): { from: number; to: number } {
  const from = Number(startMin / 60_000_000_000n) * 60;
  const to = Number(startMax / 1_000_000_000n);
  return { from: Math.max(0, from), to: Math.max(0, Math.min(to, 4_294_967_295)) };
}

function present(parts: (Uint8Array | undefined)[]): Uint8Array[] {
  return parts.filter((p): p is Uint8Array => p !== undefined);
}

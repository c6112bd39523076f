/**
 * The Storage contract on ClickHouse SQL, over any Transport (chdb in process, or HTTP).
 * Writes that arrive while an insert runs are merged into the next insert (group commit),
 * so many small requests cost few inserts; each caller still resolves only when its spans are durable.
 */
import type { Span } from '@genba/model';
import { normalizeTraceId } from '@genba/model';
import { StorageError } from './errors.ts';
import { spanKindFromName, spanKindName } from './span-kind-names.ts';
import {
  rowsToSpans,
  SPAN_COLUMNS,
  SPAN_ROW_SELECT,
  SPAN_ROW_STRUCTURE,
  type SpanRow,
  spansToRowBinary,
} from './span-rows.ts';
import type { Operation, Storage, TraceQuery, TraceSummary } from './storage.ts';
import { traceFilter } from './trace-filter.ts';
import type { Transport } from './transport.ts';

/** Upper bound of spans merged into one insert, to keep memory bounded. */
const MAX_GROUP_SPANS = 100_000;

interface PendingWrite {
  rows: Buffer;
  count: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class ClickHouseStore implements Storage {
  #t: Transport;
  #pending: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;

  constructor(transport: Transport) {
    this.#t = transport;
  }

  write(spans: readonly Span[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    // Encoding happens now, in the caller's turn, so a bad span fails its own batch only.
    const rows = spansToRowBinary(spans);
    return new Promise((resolve, reject) => {
      this.#pending.push({ rows, count: spans.length, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const group: PendingWrite[] = [];
      let count = 0;
      while (
        this.#pending.length > 0 &&
        (group.length === 0 || count + this.#pending[0].count <= MAX_GROUP_SPANS)
      ) {
        const w = this.#pending.shift()!;
        group.push(w);
        count += w.count;
      }
      try {
        const rows = group.length === 1 ? group[0].rows : Buffer.concat(group.map((w) => w.rows));
        await this.#t.insertRows('spans', SPAN_ROW_SELECT, SPAN_ROW_STRUCTURE, rows);
        for (const w of group) w.resolve();
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    this.#flushing = undefined;
  }

  async getTrace(traceId: string): Promise<Span[]> {
    return (await this.getTraces([traceId])).get(normalizeTraceId(traceId) ?? traceId) ?? [];
  }

  async getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>> {
    const ids = traceIds.map((id) => {
      const n = normalizeTraceId(id);
      if (!n) throw new StorageError(`invalid trace id "${id}"`, 'invalid');
      return n;
    });
    const out = new Map<string, Span[]>();
    if (ids.length === 0) return out;
    // toFixedString: a String set would lose the trailing zero bytes of an id and miss it.
    // The small `traces` table gives the time range, which prunes partitions of `spans`.
    const [range] = await this.#t.rows<{ n: string; s: string; e: string }>(
      `SELECT count() AS n, toUnixTimestamp64Nano(min(start_time)) AS s, toUnixTimestamp64Nano(max(end_time)) AS e
       FROM traces WHERE trace_id IN (SELECT toFixedString(unhex(arrayJoin({ids:Array(String)})), 16))`,
      { ids },
    );
    if (!range || range.n === '0') return out;
    const rows = await this.#t.rows<SpanRow>(
      `SELECT ${SPAN_COLUMNS} FROM spans
       WHERE trace_id IN (SELECT toFixedString(unhex(arrayJoin({ids:Array(String)})), 16))
         AND start_time >= fromUnixTimestamp64Nano({s:Int64}) AND start_time <= fromUnixTimestamp64Nano({e:Int64})
       ORDER BY start_time
       LIMIT 1 BY tid, sid`,
      { ids, s: BigInt(range.s), e: BigInt(range.e) },
    );
    for (const span of rowsToSpans(rows)) {
      const list = out.get(span.traceId);
      if (list) list.push(span);
      else out.set(span.traceId, [span]);
    }
    return out;
  }

  async findTraces(q: TraceQuery): Promise<TraceSummary[]> {
    const { where, params } = traceFilter(q);
    const limit = Math.max(1, Math.min(Math.floor(q.limit), 10_000));
    const matches = await this.#t.rows<{ tid: string }>(
      `SELECT lower(hex(trace_id)) AS tid, max(start_time) AS latest FROM spans WHERE ${where}
       GROUP BY tid ORDER BY latest DESC LIMIT {limit:UInt32}`,
      { ...params, limit },
    );
    if (matches.length === 0) return [];
    const ids = matches.map((m) => m.tid);
    const rows = await this.#t.rows<{
      tid: string;
      s: string;
      e: string;
      span_count: string;
      error_count: string;
      root_service: string;
      root_name: string;
      services: string[];
    }>(
      `SELECT lower(hex(trace_id)) AS tid, toUnixTimestamp64Nano(min(start_time)) AS s,
         toUnixTimestamp64Nano(max(end_time)) AS e, uniqMerge(span_ids) AS span_count, uniqIfMerge(error_span_ids) AS error_count,
         max(root_service) AS root_service, max(root_name) AS root_name, groupUniqArrayArray(services) AS services
       FROM traces WHERE trace_id IN (SELECT toFixedString(unhex(arrayJoin({ids:Array(String)})), 16)) GROUP BY tid`,
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
    const rows = await this.#t.rows<{ service: string }>('SELECT service FROM services ORDER BY service');
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
    const rows = await this.#t.rows<{ name: string; kind: number }>(
      `SELECT name, kind FROM operations WHERE service = {service:String} ${kindFilter}
       GROUP BY name, kind ORDER BY name, kind`,
      params,
    );
    return rows.map((r) => ({ name: r.name, spanKind: spanKindName(Number(r.kind)) }));
  }

  async close(): Promise<void> {
    await this.#flushing;
    await this.#t.close();
  }
}

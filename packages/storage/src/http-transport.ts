/**
 * A ClickHouse server over its HTTP interface, with `fetch`: it speaks to Debian's 18.16 as well as
 * to current servers. Parameters become literals through sql-literal.ts, since 18.16 cannot bind them.
 */
import { StorageError } from './errors.ts';
import { bindLiterals, identifier, stringLiteral } from './sql-literal.ts';
import type { QueryParams, QuerySettings, RowLayout, Transport } from './transport.ts';

export interface HttpTransportOptions {
  /** http(s)://host:port of the server. */
  url: string;
  /** Database every query runs in; created by `ensureDatabase`. */
  database: string;
  user?: string;
  password?: string;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
}

export class HttpTransport implements Transport {
  #url: string;
  #database: string;
  #headers: Record<string, string>;
  #timeoutMs: number;

  constructor(opts: HttpTransportOptions) {
    this.#url = opts.url.replace(/\/+$/, '');
    this.#database = identifier(opts.database, 'database name');
    this.#headers = {};
    if (opts.user) this.#headers['X-ClickHouse-User'] = opts.user;
    if (opts.password) this.#headers['X-ClickHouse-Key'] = opts.password;
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
  }

  get url(): string {
    return this.#url;
  }

  /** Creates the database when it is missing; runs outside it, since it may not exist yet. */
  async ensureDatabase(): Promise<void> {
    await this.#post(`CREATE DATABASE IF NOT EXISTS ${this.#database}`, {}, false);
  }

  async exec(sql: string, params?: QueryParams): Promise<void> {
    await this.#post(bindLiterals(sql, params), {});
  }

  async rows<T>(sql: string, params?: QueryParams, settings: QuerySettings = {}): Promise<T[]> {
    const text = await this.#post(
      `${bindLiterals(sql, params)} FORMAT JSONEachRow`,
      settingsParams(settings),
    );
    const out: T[] = [];
    for (const line of text.split('\n')) if (line !== '') out.push(JSON.parse(line) as T);
    return out;
  }

  async insertRows(
    table: string,
    layout: RowLayout,
    rows: Uint8Array | readonly Uint8Array[],
  ): Promise<void> {
    const body = rows instanceof Uint8Array ? rows : Buffer.concat(rows);
    if (body.length === 0) return;
    const query = layout.columns
      ? `INSERT INTO ${table} (${layout.columns}) FORMAT RowBinary`
      : `INSERT INTO ${table} SELECT ${layout.select} FROM input(${stringLiteral(layout.structure)}) FORMAT RowBinary`;
    await this.#post(body, { query, ...settingsParams(layout.settings) });
  }

  async version(): Promise<string> {
    const [row] = await this.rows<{ v: string }>('SELECT version() AS v');
    return row.v;
  }

  async close(): Promise<void> {}

  async #post(body: string | Uint8Array, params: Record<string, string>, inDatabase = true): Promise<string> {
    const search = new URLSearchParams(params);
    if (inDatabase) search.set('database', this.#database);
    // Newer servers print 64-bit integers as JSON numbers unless asked; 18.16 quotes them and accepts the setting.
    search.set('output_format_json_quote_64bit_integers', '1');
    let res: Response;
    try {
      res = await fetch(`${this.#url}/?${search}`, {
        method: 'POST',
        body: body as RequestInit['body'],
        headers: this.#headers,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw new StorageError(
        `ClickHouse at ${this.#url} is unreachable: ${(err as Error).message}`,
        'unavailable',
        {
          cause: err,
        },
      );
    }
    const text = await res.text();
    if (!res.ok) {
      const message = text.trim().split('\n')[0].slice(0, 500);
      throw new StorageError(`ClickHouse at ${this.#url} answered ${res.status}: ${message}`, 'internal');
    }
    return text;
  }
}

/** Settings as URL parameters, which the HTTP interface applies to the query. */
function settingsParams(settings: QuerySettings = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(Number(v))]));
}

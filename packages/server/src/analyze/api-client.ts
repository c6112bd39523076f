/**
 * GETs of a running server's /api/genba routes for `genba analyze --service`. Answers come in
 * Jaeger's envelope; an error answer's `errors[0].msg` becomes the message, and a refused
 * connection says where nothing answered and how to start a server.
 */
import { AnalyzeInputError } from './read-trace-file.ts';

const TIMEOUT_MS = 120_000;

export type Params = Record<string, string | number | bigint | undefined>;

export function apiUrl(server: string, path: string, params: Params): string {
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new AnalyzeInputError(`--server ${server} is not a URL; expected e.g. http://127.0.0.1:16686`);
  }
  const url = new URL(base.href.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url.href;
}

function unreachable(server: string, err: unknown): AnalyzeInputError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  // fetch refuses a fixed list of ports (e.g. 1, 6000) before trying to connect.
  if (cause?.message === 'bad port')
    return new AnalyzeInputError(
      `fetch refuses to connect to the port of ${server}; serve the API on another port`,
    );
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return new AnalyzeInputError(
    `the server is not reachable at ${server} (${why}); start one with \`genba serve\` or pass --server URL`,
  );
}

export async function getGenba<T>(server: string, path: string, params: Params): Promise<T> {
  const url = apiUrl(server, path, params);
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError')
      throw new AnalyzeInputError(`${server} did not answer within ${TIMEOUT_MS / 1000} s`);
    throw unreachable(server, err);
  }
  const text = await res.text();
  let body: { data?: T | null; errors?: { msg?: string }[] | null } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const msg = body?.errors?.[0]?.msg;
  if (typeof msg === 'string') throw new AnalyzeInputError(`the server answered ${res.status}: ${msg}`);
  if (!res.ok || body === undefined || body.data === undefined || body.data === null)
    throw new AnalyzeInputError(
      `unexpected answer from ${url}: HTTP ${res.status}${res.ok ? ', not a Genba API answer' : ''}; is --server a genba query port?`,
    );
  return body.data;
}

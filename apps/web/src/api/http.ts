// GET of a JSON answer in Jaeger's envelope ({data, errors, …}), as every API of the query port
// returns it; a failure becomes an ApiError whose message names the server's reason.
import type { JaegerResponse } from './jaeger-types.ts';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<JaegerResponse<T>> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, `cannot reach the server (${(err as Error).message})`);
  }
  let body: JaegerResponse<T> | null = null;
  const text = await res.text();
  try {
    body = text ? (JSON.parse(text) as JaegerResponse<T>) : null;
  } catch {
    body = null;
  }
  const firstError = body?.errors?.find((e) => e && typeof e.msg === 'string');
  if (!res.ok) {
    const msg = firstError?.msg ?? (text.slice(0, 200) || res.statusText);
    throw new ApiError(res.status, `${res.status}: ${msg}`);
  }
  if (!body) throw new ApiError(res.status, 'the server answered with something that is not JSON');
  if (body.data == null && firstError) throw new ApiError(firstError.code ?? 500, firstError.msg ?? 'error');
  return body;
}

/** The data of a successful answer; a missing `data` is an error, since every route sends one. */
export async function getData<T>(path: string, signal?: AbortSignal): Promise<T> {
  const body = await getJson<T>(path, signal);
  if (body.data == null) throw new ApiError(500, `${path.split('?')[0]} answered without data`);
  return body.data;
}

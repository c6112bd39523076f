/** Maps any error to an HTTP status and a message that names the problem. */
import { GenbaError, httpStatus } from '@genba/model';

export interface ErrorAnswer {
  status: number;
  message: string;
  retryAfter?: number;
}

export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof GenbaError)
    return { status: httpStatus(err.code), message: err.message, retryAfter: err.retryAfter };
  const e = err as { name?: string; statusCode?: number; message?: string; code?: string };
  if (e?.name === 'StorageError' && (err as { kind?: string }).kind === 'invalid')
    return { status: 400, message: e.message ?? 'invalid request' };
  if (e?.name === 'StorageError')
    return { status: 503, message: `storage unavailable: ${e.message}`, retryAfter: 1 };
  if (e?.name === 'OtlpDecodeError') return { status: 400, message: `malformed OTLP payload: ${e.message}` };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { status: 413, message: 'request body exceeds the size limit' };
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { status: 415, message: `unsupported Content-Type: ${e.message ?? ''}` };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, message: e.message ?? 'bad request' };
  return { status: 500, message: 'internal error' };
}

/** The gRPC status code that google.rpc.Status carries for an HTTP status. */
export function grpcCodeFor(status: number): number {
  if (status === 429 || status === 413) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 404) return 5; // NOT_FOUND
  if (status >= 400 && status < 500) return 3; // INVALID_ARGUMENT
  return 13; // INTERNAL
}

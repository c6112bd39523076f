/**
 * The one error type that crosses package boundaries. Its `code` says what went wrong;
 * `httpStatus` (one table) says how every HTTP API answers it.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

export class GenbaError extends Error {
  readonly code: ErrorCode;
  /** Seconds a client should wait before retrying (429, 503). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfter?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'GenbaError';
    this.code = code;
    this.retryAfter = options?.retryAfter;
  }
}

export function httpStatus(code: ErrorCode): number {
  return STATUS[code];
}

/** An error that carries the HTTP status a handler answers with, or a call came back with. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  /** A short machine-readable reason, e.g. `payment-declined`; it travels in the response body. */
  readonly reason: string;

  constructor(status: number, reason: string, message = reason) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  /** 5xx and network failures (status 0) may go away on their own; 4xx will not. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

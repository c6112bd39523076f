/** The error a failed export resolves with: what went wrong and whether it was worth retrying. */
export class OtlpExportError extends Error {
  /** HTTP status of the response, for OTLP/HTTP failures that got one. */
  readonly httpStatus?: number;
  /** gRPC status code, for OTLP/gRPC failures. */
  readonly grpcCode?: number;

  constructor(message: string, opts: { httpStatus?: number; grpcCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'OtlpExportError';
    if (opts.httpStatus !== undefined) this.httpStatus = opts.httpStatus;
    if (opts.grpcCode !== undefined) this.grpcCode = opts.grpcCode;
  }
}

/**
 * The one error every decoder throws for bad input. `where` is a byte offset ('byte 123') for
 * protobuf and a JSON path ('$.resourceSpans[0].scopeSpans[1].spans[2].traceId') for JSON, so a
 * receiver can answer 400 with a message that points at the problem.
 */
export class OtlpDecodeError extends Error {
  readonly where: string;

  constructor(problem: string, where: string) {
    super(`${problem} at ${where}`);
    this.name = 'OtlpDecodeError';
    this.where = where;
  }
}

/** Thrown for a protobuf problem found at a byte offset. */
export function protoError(problem: string, offset: number): OtlpDecodeError {
  return new OtlpDecodeError(problem, `byte ${offset}`);
}

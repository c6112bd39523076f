/**
 * What both Zipkin decoders throw for bad input. It is a `bad_request` GenbaError, so the
 * receivers' error mapping answers 400 with the message, which names the field
 * (`span[3].traceId: …`) and, for protobuf, the byte offset.
 */
import { GenbaError } from '@genba/model';

export class ZipkinDecodeError extends GenbaError {
  /** `span[3].traceId`, or `body` for problems with the whole request. */
  readonly where: string;

  constructor(where: string, problem: string) {
    super('bad_request', `${where}: ${problem}`);
    this.name = 'ZipkinDecodeError';
    this.where = where;
  }
}

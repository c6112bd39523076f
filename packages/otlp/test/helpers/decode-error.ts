import assert from 'node:assert/strict';
import { OtlpDecodeError } from '../../src/index.ts';

/** `decode` throws an OtlpDecodeError at `where` whose message matches `problem` and names `where`. */
export function assertDecodeError(decode: () => unknown, where: string, problem: RegExp): void {
  assert.throws(decode, (e) => {
    assert.ok(e instanceof OtlpDecodeError, `an OtlpDecodeError, got ${e}`);
    assert.equal(e.where, where);
    assert.match(e.message, problem);
    assert.ok(e.message.endsWith(`at ${where}`), e.message);
    return true;
  });
}

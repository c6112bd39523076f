/** Undoes Content-Encoding, bounding the decompressed size so a small gzip bomb cannot exhaust memory. */
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { GenbaError } from '@genba/model';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export async function decodeBody(
  body: Buffer,
  encoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  try {
    if (enc === 'identity' || enc === '') return body;
    if (enc === 'gzip' || enc === 'x-gzip') return await gunzipAsync(body, { maxOutputLength: maxBytes });
    if (enc === 'deflate') return await inflateAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new GenbaError('payload_too_large', `decompressed body exceeds the limit of ${maxBytes} bytes`);
    throw new GenbaError('bad_request', `cannot decompress ${enc} body: ${(err as Error).message}`);
  }
  throw new GenbaError(
    'unsupported_media_type',
    `unsupported Content-Encoding "${enc}" (use gzip, deflate or none)`,
  );
}

/**
 * One acknowledged write as the write-ahead log keeps it: the batch's RowBinary rows per shard and
 * its dependency edges, framed so that replay can tell a whole record from a torn tail.
 *
 * Frame: u32 body length · u32 FRAME_MARK · body. Body: u32 span count · u16 shard count ·
 * u32 length per shard · u32 edges length · the shards' bytes · the edges' bytes (all little-endian).
 * A length of 0 means "nothing for that shard". A killed process leaves at most a short last frame
 * (appends are whole writes); there is no checksum, because a CRC-32 of every row cost 3 % of the
 * ingest thread, and the lengths must still add up exactly.
 */

export interface WalRecord {
  count: number;
  /** Encoded span rows per shard; undefined where the batch had none for that shard. */
  rows: (Uint8Array | undefined)[];
  edges: Uint8Array | undefined;
}

const FRAME_HEAD = 8;
const FRAME_MARK = 0x4c41_5747; // "GWAL"

/** The record's bytes as a list of buffers, to be written in one writev without copying the rows. */
export function encodeWalRecord(r: WalRecord): Buffer[] {
  const parts = [...r.rows, r.edges];
  const head = Buffer.allocUnsafe(FRAME_HEAD + 4 + 2 + 4 * parts.length);
  let o = FRAME_HEAD;
  o = head.writeUInt32LE(r.count, o);
  o = head.writeUInt16LE(r.rows.length, o);
  let length = head.length - FRAME_HEAD;
  for (const p of parts) {
    o = head.writeUInt32LE(p?.length ?? 0, o);
    length += p?.length ?? 0;
  }
  head.writeUInt32LE(length, 0);
  head.writeUInt32LE(FRAME_MARK, 4);
  return [head, ...parts.filter((p): p is Uint8Array => p !== undefined && p.length > 0).map(asBuffer)];
}

/** Reads every whole record of a log segment; stops at the first frame that is short or malformed
 * (what follows is a write a crash cut short, never acknowledged). */
export function decodeWalRecords(bytes: Buffer): WalRecord[] {
  const records: WalRecord[] = [];
  let o = 0;
  while (o + FRAME_HEAD <= bytes.length) {
    const length = bytes.readUInt32LE(o);
    const end = o + FRAME_HEAD + length;
    if (length < 6 || end > bytes.length || bytes.readUInt32LE(o + 4) !== FRAME_MARK) break;
    const record = decodeBody(bytes.subarray(o + FRAME_HEAD, end));
    if (!record) break;
    records.push(record);
    o = end;
  }
  return records;
}

function decodeBody(body: Buffer): WalRecord | undefined {
  const count = body.readUInt32LE(0);
  const shards = body.readUInt16LE(4);
  let o = 6 + 4 * (shards + 1);
  if (o > body.length) return undefined;
  const parts: (Uint8Array | undefined)[] = [];
  for (let i = 0; i <= shards; i++) {
    const n = body.readUInt32LE(6 + 4 * i);
    if (o + n > body.length) return undefined;
    parts.push(n === 0 ? undefined : body.subarray(o, o + n));
    o += n;
  }
  if (o !== body.length) return undefined;
  return { count, rows: parts.slice(0, shards), edges: parts[shards] };
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.length);
}

/**
 * Which shard holds a trace: the last byte of its id modulo the shard count. It is the rule the
 * Distributed tables use (TRACE_SHARDING_KEY in schema.ts), so Genba writes each span to its
 * trace's shard itself and reads a trace from that one shard.
 */
export function shardOf(traceIdHex: string, shards: number): number {
  if (shards === 1) return 0;
  return Number.parseInt(traceIdHex.slice(-2), 16) % shards;
}

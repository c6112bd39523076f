// Child process for write-ahead-log.test.ts: opens the embedded store in argv[2], writes the
// batches of spans it reads as JSON lines on stdin, and prints "acked N" after each write
// resolves. It never closes the store: the test kills it with SIGKILL.
import { createInterface } from 'node:readline';
import { register } from 'tsx/esm/api';

register();
const { openEmbeddedStore } = await import('../../src/index.ts');
const store = await openEmbeddedStore({ dataDir: process.argv[2] });
process.stdout.write('ready\n');
const revive = (_k, v) => (typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v);
let n = 0;
for await (const line of createInterface({ input: process.stdin })) {
  await store.write(JSON.parse(line, revive));
  process.stdout.write(`acked ${++n}\n`);
}

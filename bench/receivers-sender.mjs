// Worker for receivers.bench.ts: sends pre-encoded payloads to one receiver and reports when the
// first was sent and the last answered (absolute ms, comparable across threads).
// Plain JS because Node 20 workers do not take the tsx loader.
//   http: POSTs with a fixed concurrency, counting non-2xx answers.
//   grpc: unary Export calls over one channel with a raw (bytes in, bytes out) grpc-js client.
//   udp:  datagrams paced by what the pipeline has taken (a shared counter), so that the kernel's
//         receive buffer never overflows and the rate is the receiver's, not the buffer's.
import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';

const now = () => performance.timeOrigin + performance.now();

async function lanes(count, send) {
  const { payloads } = workerData;
  let next = 0;
  let failed = 0;
  let firstError = '';
  const lane = async () => {
    while (next < payloads.length) {
      const body = payloads[next++];
      try {
        await send(body);
      } catch (err) {
        failed++;
        firstError ||= String(err?.message ?? err).slice(0, 300);
      }
    }
  };
  const startAt = now();
  await Promise.all(Array.from({ length: count }, lane));
  return { startAt, endAt: now(), failed, firstError };
}

async function http() {
  const { url, contentType, concurrency } = workerData;
  return lanes(concurrency, async (body) => {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${res.status} ${text}`);
  });
}

async function rpc() {
  const { target, path, concurrency } = workerData;
  const identity = (b) => b;
  const Client = grpc.makeGenericClientConstructor(
    {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    'TraceService',
  );
  const client = new Client(target, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  // Connected before the clock starts.
  await new Promise((resolve, reject) =>
    client.waitForReady(Date.now() + 5000, (err) => (err ? reject(err) : resolve())),
  );
  const result = await lanes(concurrency, (body) => {
    return new Promise((resolve, reject) =>
      client.Export(Buffer.from(body.buffer, body.byteOffset, body.byteLength), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  });
  client.close();
  return result;
}

async function udp() {
  const { host, port, payloads, spans, taken, window, stallMs } = workerData;
  const counter = new Int32Array(taken);
  const base = Atomics.load(counter, 0);
  const acked = () => Atomics.load(counter, 0) - base;
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // cum[i]: spans in datagrams 0..i; datagram i is taken once acked() + presumedLost >= cum[i].
  const cum = [];
  let total = 0;
  for (const n of spans) {
    total += n;
    cum.push(total);
  }
  let presumedLost = 0;
  let taker = 0; // first datagram not yet taken
  let lastProgress = now();
  let lastAcked = 0;
  const advance = () => {
    const a = acked();
    if (a !== lastAcked) {
      lastAcked = a;
      lastProgress = now();
    }
    while (taker < cum.length && a + presumedLost >= cum[taker]) taker++;
  };
  const startAt = now();
  for (let i = 0; i < payloads.length; i++) {
    advance();
    while (i - taker >= window) {
      const seen = Atomics.load(counter, 0);
      const r = Atomics.waitAsync(counter, 0, seen, stallMs);
      if (r.async) await r.value;
      const before = taker;
      advance();
      // Nothing taken for stallMs: the datagrams in flight were lost; send on.
      if (taker === before && now() - lastProgress >= stallMs) {
        presumedLost = cum[i - 1] - acked();
        advance();
      }
    }
    await new Promise((resolve, reject) =>
      socket.send(payloads[i], (err) => (err ? reject(err) : resolve())),
    );
  }
  // Wait for the tail: all taken, or nothing more for stallMs.
  while (acked() < total && now() - lastProgress < stallMs) {
    const r = Atomics.waitAsync(counter, 0, Atomics.load(counter, 0), stallMs);
    if (r.async) await r.value;
    advance();
  }
  socket.close();
  return { startAt, endAt: lastProgress, failed: 0, firstError: '' };
}

const run = { http, grpc: rpc, udp }[workerData.mode];
parentPort.postMessage(await run());

/**
 * OTLP/gRPC: TraceService/Export on grpc-js, with Genba's codec. grpc-js itself bounds each
 * message (length prefix and gzip/deflate output, both → RESOURCE_EXHAUSTED) and undoes the
 * compression. Requests reach the handler as raw bytes and are decoded there, because grpc-js
 * turns a throw in the deserializer into INTERNAL with no message, while a malformed payload
 * must get INVALID_ARGUMENT naming the problem. Success is answered only once the spans are
 * durable downstream.
 */
import type { Span } from '@genba/model';
import { decodeTraceRequest, type decodeTraceResponse, traceServiceDefinition } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
import type { ComponentContext, ListeningReceiver } from '../component.ts';
import { formatEndpoint, parseEndpoint } from '../config/endpoint.ts';
import { errorAnswer, grpcCodeFor } from '../error-response.ts';
import { encodeRpcStatusDetails } from '../exporters/otlp-rpc-status.ts';
import type { SpanConsumer } from '../span-consumer.ts';
import { partitionValid } from '../valid-spans.ts';

export interface OtlpGrpcReceiverConfig {
  /** host:port to listen on; port 0 picks a free one. */
  endpoint?: string;
  /** Bound on one message, compressed and decompressed, in MiB. */
  maxRecvMsgSizeMib?: number;
  /** How long shutdown waits for calls under way before cutting them off. */
  shutdownTimeoutMs?: number;
}

const RECEIVER = 'otlp_grpc';

type TraceResponse = ReturnType<typeof decodeTraceResponse>;

// The codec's own serializers answer; only the request side is left as bytes (see above).
const exportDefinition = {
  Export: { ...traceServiceDefinition.Export, requestDeserialize: (bytes: Buffer) => bytes },
};

export async function startOtlpGrpcReceiver(
  config: OtlpGrpcReceiverConfig,
  consumer: SpanConsumer,
  ctx: ComponentContext,
): Promise<ListeningReceiver> {
  const at = parseEndpoint(config.endpoint ?? '127.0.0.1:4317', 'otlp grpc receiver endpoint');
  const endpoint = formatEndpoint(at);
  const maxBytes = Math.floor((config.maxRecvMsgSizeMib ?? 16) * 1024 * 1024);
  const received = ctx.metrics.counter(
    'genba_receiver_spans_total',
    'Spans received, by receiver and outcome',
  );
  const requests = ctx.metrics.counter(
    'genba_receiver_requests_total',
    'Requests, by receiver and HTTP status (gRPC status name for gRPC receivers)',
  );

  const exportSpans = async (bytes: Buffer): Promise<TraceResponse> => {
    let spans: Span[];
    try {
      spans = decodeTraceRequest(bytes);
    } catch (err) {
      received({ receiver: RECEIVER, outcome: 'malformed' });
      throw err;
    }
    const { valid, rejected, reason } = partitionValid(spans);
    try {
      await consumer.consume(valid);
    } catch (err) {
      received({ receiver: RECEIVER, outcome: 'refused' }, valid.length);
      throw err;
    }
    received({ receiver: RECEIVER, outcome: 'accepted' }, valid.length);
    if (rejected) received({ receiver: RECEIVER, outcome: 'rejected' }, rejected);
    return { rejectedSpans: rejected, errorMessage: reason };
  };

  const toStatus = (err: unknown): Partial<grpc.StatusObject> => {
    const a = errorAnswer(err);
    const code = grpcCodeFor(a.status);
    if (a.status >= 500) ctx.log.warn(`otlp grpc receiver: ${a.message}: ${(err as Error)?.message ?? err}`);
    const metadata = new grpc.Metadata();
    // OTLP/gRPC throttling: a RetryInfo in the status details tells the client how long to wait.
    if (a.retryAfter !== undefined)
      metadata.set('grpc-status-details-bin', encodeRpcStatusDetails(code, a.message, a.retryAfter));
    return { code, details: a.message, metadata };
  };

  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': 1024 * 1024,
  });
  server.addService(exportDefinition, {
    Export: (
      call: grpc.ServerUnaryCall<Buffer, TraceResponse>,
      callback: grpc.sendUnaryData<TraceResponse>,
    ) => {
      exportSpans(call.request).then(
        (response) => {
          requests({ receiver: RECEIVER, status: 'OK' });
          callback(null, response);
        },
        (err: unknown) => {
          const status = toStatus(err);
          requests({
            receiver: RECEIVER,
            status: grpc.status[status.code ?? grpc.status.UNKNOWN] ?? 'UNKNOWN',
          });
          callback(status);
        },
      );
    },
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(endpoint, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err
        ? reject(new Error(`otlp grpc receiver: cannot listen on ${endpoint}: ${err.message}`))
        : resolve(p),
    ),
  );

  let stopped: Promise<void> | undefined;
  return {
    endpoints: { grpc: formatEndpoint({ host: at.host, port }) },
    shutdown() {
      stopped ??= new Promise<void>((resolve) => {
        // Calls under way finish (their spans are being made durable); new ones are refused.
        const cut = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, config.shutdownTimeoutMs ?? 5000);
        server.tryShutdown(() => {
          clearTimeout(cut);
          resolve();
        });
      });
      return stopped;
    },
  };
}

/** A grpc-js client for TraceService/Export that sends and returns raw bytes, so tests control every byte. */
import { TRACE_SERVICE_EXPORT_PATH } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';

const passBytes = (b: Buffer) => b;

export const RawClient = grpc.makeGenericClientConstructor(
  {
    Export: {
      path: TRACE_SERVICE_EXPORT_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: passBytes,
      requestDeserialize: passBytes,
      responseSerialize: passBytes,
      responseDeserialize: passBytes,
    },
  },
  'TraceService',
);

export type Answer = { err: grpc.ServiceError | null; response?: Buffer };

export function exportRaw(client: grpc.Client, body: Buffer): Promise<Answer> {
  const call = (client as unknown as Record<string, (...a: unknown[]) => void>).Export.bind(client);
  return new Promise((resolve) =>
    call(body, (err: grpc.ServiceError | null, response?: Buffer) => resolve({ err, response })),
  );
}

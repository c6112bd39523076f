// The Jaeger query API v1 JSON shapes, as jaeger-query (and Genba) return them.

export type JaegerTagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export type JaegerTag = {
  key: string;
  type: JaegerTagType | string;
  value: string | number | boolean | null;
};

export type JaegerLog = {
  timestamp: number;
  fields: JaegerTag[];
};

export type JaegerReference = {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM' | string;
  traceID: string;
  spanID: string;
};

export type JaegerSpan = {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: JaegerReference[] | null;
  flags?: number;
  /** microseconds since the epoch */
  startTime: number;
  /** microseconds */
  duration: number;
  tags?: JaegerTag[] | null;
  logs?: JaegerLog[] | null;
  processID: string;
  warnings?: string[] | null;
};

export type JaegerProcess = {
  serviceName: string;
  tags?: JaegerTag[] | null;
};

export type JaegerTrace = {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings?: string[] | null;
};

export type JaegerError = {
  code?: number;
  msg?: string;
  traceID?: string;
};

export type JaegerResponse<T> = {
  data: T | null;
  total?: number;
  limit?: number;
  offset?: number;
  errors?: JaegerError[] | null;
};

/**
 * Jaeger's v1 query API JSON (the `uimodel` that jaeger-ui and Grafana's Jaeger data source read).
 * Field names and optionality follow Jaeger's Go structs and their `omitempty` tags.
 */

export type JaegerTagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerTag {
  key: string;
  type: JaegerTagType;
  /** int64 outside ±(2^53−1) is a decimal string, as Jaeger writes it. binary is base64. */
  value: string | number | boolean;
}

export type JaegerRefType = 'CHILD_OF' | 'FOLLOWS_FROM';

export interface JaegerReference {
  refType: JaegerRefType;
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  /** Microseconds since the Unix epoch. */
  timestamp: number;
  fields: JaegerTag[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  /**
   * Jaeger writes `flags` with `omitempty` and its OTLP translator never sets it, so for
   * OTLP data the key is absent. Kept optional for data that carries Jaeger flags.
   */
  flags?: number;
  operationName: string;
  references: JaegerReference[];
  /** Microseconds since the Unix epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

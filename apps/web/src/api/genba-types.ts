// The JSON shapes of Genba's analysis API (/api/genba/…): durations in µs, instants in epoch µs,
// ratios and shares as fractions 0–1.

export const CATEGORIES = ['processing', 'waiting', 'transport', 'defect'] as const;
export type Category = (typeof CATEGORIES)[number];
export type CategoryTimes = Record<Category, number>;

export type CriticalSection = {
  spanID: string;
  /** epoch µs */
  startTime: number;
  /** epoch µs */
  endTime: number;
};

export type TraceAnomaly = {
  detected: boolean;
  reason: string;
  /** µs; null when there is no baseline */
  threshold: number | null;
};

export type TraceAnalysis = {
  traceID: string;
  rootService: string;
  rootOperation: string;
  startTime: number;
  /** the categories sum to it */
  totalLatency: number;
  categories: CategoryTimes;
  valueAddedRatio: number;
  /** µs of critical path per component */
  components: Record<string, number>;
  bottleneck: string;
  anomaly: TraceAnomaly;
};

export type Distribution = { count: number; avg: number; p50: number; p95: number; p99: number };

export type ComponentStats = Distribution & {
  component: string;
  traceCount: number;
  /** summed critical-path µs */
  total: number;
  share: number;
  bottleneckCount: number;
  categories: CategoryTimes;
};

export type TimeBucket = {
  start: number;
  end: number;
  traceCount: number;
  categories: CategoryTimes;
  valueAddedRatio: number;
};

export type ValueStream = {
  service: string;
  operation: string | null;
  start: number;
  end: number;
  traceCount: number;
  totalLatency: number;
  categories: CategoryTimes;
  valueAddedRatio: number;
  latency: Distribution;
  bottleneck: string;
  /** the bottleneck ranking: most critical-path time first */
  components: ComponentStats[];
  buckets: TimeBucket[];
};

export type Delta = {
  before: number;
  after: number;
  /** after − before */
  delta: number;
  /** delta ÷ before; null when before is 0 */
  change: number | null;
};

export type ComponentDelta = { component: string; perTrace: Delta; p95: Delta; share: Delta };

export type Comparison = {
  before: ValueStream;
  after: ValueStream;
  /** mean µs per trace */
  categories: Record<Category, Delta>;
  valueAddedRatio: Delta;
  latencyP95: Delta;
  latencyAvg: Delta;
  bottleneck: { before: string; after: string };
  components: ComponentDelta[];
};

export type AnomalyItem = {
  traceID: string;
  rootService: string;
  rootOperation: string;
  startTime: number;
  totalLatency: number;
  bottleneck: string;
  reason: string;
  threshold: number;
};

export type ErrorSignature = {
  service: string;
  operation: string;
  exceptionType: string;
  messagePattern: string;
  count: number;
  traceCount: number;
  firstSeen: number;
  lastSeen: number;
  exampleTraceIDs: string[];
};

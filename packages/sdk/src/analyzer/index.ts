// The analysis types and helpers a user of the analyzer needs, so @genba/sdk alone suffices.
export type {
  Anomaly,
  Category,
  CategoryTimes,
  ComponentStats,
  Rule,
  RuleCondition,
  Segment,
  TraceAnalysis,
  ValueStreamReport,
} from '@genba/analysis';
export { DEFAULT_RULES, formatDuration, parseAnalysisConfig } from '@genba/analysis';
export type { Bottleneck, ComponentLatency } from './component-latency.ts';
export { getAnalyzer } from './current-analyzer.ts';
export type { LocalAnalyzerOptions, WasteReport } from './local-analyzer.ts';
export { DEFAULT_MIN_BASELINE, LocalAnalyzer } from './local-analyzer.ts';
export type { RecentSpansOptions, RecentSpansStats } from './recent-spans.ts';
export { DEFAULT_MAX_SPANS, RecentSpans } from './recent-spans.ts';

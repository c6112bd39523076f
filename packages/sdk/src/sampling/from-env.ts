/**
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, plus Genba's `rate_limiting` (arg: traces/s)
 * and the seeds' alias TRACING_SAMPLE_RATE (a ratio; the OTEL_* variables win when both are set).
 */
import { reportOnce } from '../diag.ts';
import type { Sampler } from '../types.ts';
import { AlwaysOffSampler, AlwaysOnSampler } from './always.ts';
import { ParentBasedSampler } from './parent-based.ts';
import { RateLimitingSampler } from './rate-limiting.ts';
import { TraceIdRatioBasedSampler } from './trace-id-ratio.ts';

function ratioArg(raw: string | undefined, name: string): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const r = Number(raw);
  if (Number.isNaN(r) || r < 0 || r > 1) {
    reportOnce(`env:${name}`, `${name}=${JSON.stringify(raw)} is not a ratio in [0, 1]; using 1`);
    return 1;
  }
  return r;
}

export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  if (name === undefined || name === '') {
    if (env.TRACING_SAMPLE_RATE !== undefined && env.TRACING_SAMPLE_RATE.trim() !== '')
      return new ParentBasedSampler({
        root: new TraceIdRatioBasedSampler(ratioArg(env.TRACING_SAMPLE_RATE, 'TRACING_SAMPLE_RATE')),
      });
    return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratioArg(arg, 'OTEL_TRACES_SAMPLER_ARG'));
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({
        root: new TraceIdRatioBasedSampler(ratioArg(arg, 'OTEL_TRACES_SAMPLER_ARG')),
      });
    case 'rate_limiting':
    case 'parentbased_rate_limiting': {
      const n = Number(arg ?? '');
      const rate = Number.isFinite(n) && n >= 0 ? n : 100;
      if (rate !== n)
        reportOnce('env:rate', `OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(arg)} is not traces/s; using 100`);
      const limiter = new RateLimitingSampler(rate);
      return name === 'rate_limiting' ? limiter : new ParentBasedSampler({ root: limiter });
    }
    default:
      reportOnce(
        'env:sampler',
        `unknown OTEL_TRACES_SAMPLER=${JSON.stringify(name)}; using parentbased_always_on`,
      );
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

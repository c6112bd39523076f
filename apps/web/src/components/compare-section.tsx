import { fetchComparison } from '../api/genba-client.ts';
import { CATEGORIES, type Comparison, type Delta } from '../api/genba-types.ts';
import { formatTimestamp } from '../format/time.ts';
import { useAsync } from '../hooks/use-async.ts';
import { CATEGORY_INFO } from '../value-stream/categories.ts';
import { type DeltaText, deltaTone, durationDeltaText, fractionDeltaText } from '../value-stream/deltas.ts';
import type { CompareWindows } from '../value-stream/vs-params.ts';
import { AsyncCard } from './async-card.tsx';
import { CompareWindowsForm } from './compare-windows-form.tsx';

type Props = {
  service: string;
  operation: string;
  windows: CompareWindows;
  isDefault: boolean;
  onApply: (windows: CompareWindows) => void;
  onReset: () => void;
};

function windowsKey(w: CompareWindows): string {
  return `${w.before.start}-${w.before.end}-${w.after.start}-${w.after.end}`;
}

/** Which window holds no traces: its figures are absent, not zero, and nothing can be compared. */
type Empty = { before: boolean; after: boolean };

function emptySides(c: Comparison): Empty {
  return { before: c.before.traceCount === 0, after: c.after.traceCount === 0 };
}

/** One figure before and after: the values, then the difference coloured by whether it is better. */
function DeltaCells(p: { d: Delta; text: DeltaText; better: 'lower' | 'higher'; empty: Empty }) {
  const comparable = !p.empty.before && !p.empty.after;
  const tone = comparable ? deltaTone(p.d, p.better) : 'same';
  const text = comparable ? p.text : { ...p.text, delta: '–', change: '–' };
  return (
    <>
      <td className="num">{p.empty.before ? '–' : text.before}</td>
      <td className="num">{p.empty.after ? '–' : text.after}</td>
      <td className={`num tone-${tone}`} data-testid="delta" data-tone={tone}>
        {text.delta}
      </td>
      <td className={`num tone-${tone}`} data-testid="change" data-tone={tone}>
        {text.change}
      </td>
    </>
  );
}

function Headline({ c }: { c: Comparison }) {
  const empty = emptySides(c);
  return (
    <table className="vs-table cmp-table" data-testid="compare-headline">
      <thead>
        <tr>
          <th />
          <th className="num">Before</th>
          <th className="num">After</th>
          <th className="num">Δ</th>
          <th className="num">Change</th>
        </tr>
      </thead>
      <tbody>
        <tr data-testid="compare-row" data-figure="traces">
          <td>Traces</td>
          <td className="num">{c.before.traceCount}</td>
          <td className="num">{c.after.traceCount}</td>
          <td />
          <td />
        </tr>
        <tr data-testid="compare-row" data-figure="ratio">
          <td>Value-added ratio</td>
          <DeltaCells
            d={c.valueAddedRatio}
            text={fractionDeltaText(c.valueAddedRatio)}
            better="higher"
            empty={empty}
          />
        </tr>
        <tr data-testid="compare-row" data-figure="p95">
          <td>Latency P95</td>
          <DeltaCells d={c.latencyP95} text={durationDeltaText(c.latencyP95)} better="lower" empty={empty} />
        </tr>
        <tr data-testid="compare-row" data-figure="avg">
          <td>Latency average</td>
          <DeltaCells d={c.latencyAvg} text={durationDeltaText(c.latencyAvg)} better="lower" empty={empty} />
        </tr>
        {CATEGORIES.map((cat) => (
          <tr key={cat} data-testid="compare-row" data-figure={cat}>
            <td>
              <span className="swatch" style={{ background: CATEGORY_INFO[cat].color }} />{' '}
              {CATEGORY_INFO[cat].label} <span className="muted">per trace</span>
            </td>
            <DeltaCells
              d={c.categories[cat]}
              text={durationDeltaText(c.categories[cat])}
              better="lower"
              empty={empty}
            />
          </tr>
        ))}
        <tr data-testid="compare-row" data-figure="bottleneck">
          <td>Bottleneck</td>
          <td className="num">{c.bottleneck.before || '–'}</td>
          <td className="num">{c.bottleneck.after || '–'}</td>
          <td />
          <td />
        </tr>
      </tbody>
    </table>
  );
}

function Components({ c }: { c: Comparison }) {
  const empty = emptySides(c);
  if (c.components.length === 0) return <p className="muted">No components in either window.</p>;
  return (
    <table className="vs-table cmp-table" data-testid="compare-components">
      <thead>
        <tr>
          <th>Component</th>
          <th className="num">Per trace before</th>
          <th className="num">after</th>
          <th className="num">Δ</th>
          <th className="num">Change</th>
          <th className="num">P95 before</th>
          <th className="num">after</th>
          <th className="num">Δ</th>
          <th className="num">Change</th>
          <th className="num">Share</th>
        </tr>
      </thead>
      <tbody>
        {c.components.map((x) => {
          const share = fractionDeltaText(x.share);
          return (
            <tr key={x.component} data-testid="compare-component" data-component={x.component}>
              <td className="vs-name">{x.component}</td>
              <DeltaCells d={x.perTrace} text={durationDeltaText(x.perTrace)} better="lower" empty={empty} />
              <DeltaCells d={x.p95} text={durationDeltaText(x.p95)} better="lower" empty={empty} />
              <td className="num muted">
                {empty.before ? '–' : share.before} → {empty.after ? '–' : share.after}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Before/after: two windows side by side, with what got better in green and worse in red. */
export function CompareSection({ service, operation, windows, isDefault, onApply, onReset }: Props) {
  const key = `compare:${service}:${operation}:${windowsKey(windows)}`;
  const state = useAsync(key, (signal) =>
    fetchComparison({ service, operation, before: windows.before, after: windows.after }, signal),
  );
  return (
    <AsyncCard
      title="Before / after"
      state={state}
      testId="compare-section"
      className="vs-wide"
      intro={
        <>
          <CompareWindowsForm
            key={windowsKey(windows)}
            windows={windows}
            isDefault={isDefault}
            onApply={onApply}
            onReset={onReset}
          />
          <p className="muted cmp-caption">
            {isDefault ? 'The previous period against this one. ' : ''}
            Before {formatTimestamp(windows.before.start)} – {formatTimestamp(windows.before.end)}; after{' '}
            {formatTimestamp(windows.after.start)} – {formatTimestamp(windows.after.end)}. Times per trace;
            lower is better, except the value-added ratio.
          </p>
        </>
      }
    >
      {(c) => (
        <div className="cmp-body" data-testid="compare-result">
          {(c.before.traceCount === 0 || c.after.traceCount === 0) && (
            <p className="cmp-empty" data-testid="compare-empty">
              The {c.before.traceCount === 0 ? 'before' : 'after'} window holds no traces of this service:
              there is nothing to compare. Choose other windows.
            </p>
          )}
          <Headline c={c} />
          <h3>Components</h3>
          <Components c={c} />
        </div>
      )}
    </AsyncCard>
  );
}

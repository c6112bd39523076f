import { type FormEvent, useState } from 'react';
import { type CompareTexts, compareTexts, parseCompareTexts } from '../value-stream/compare-input.ts';
import type { CompareWindows } from '../value-stream/vs-params.ts';

type Props = {
  windows: CompareWindows;
  /** the windows are the default ones (previous period against this one) */
  isDefault: boolean;
  onApply: (windows: CompareWindows) => void;
  onReset: () => void;
};

/** The two windows of the comparison, in local time, editable. Remount it when `windows` changes. */
export function CompareWindowsForm({ windows, isDefault, onApply, onReset }: Props) {
  const [texts, setTexts] = useState<CompareTexts>(() => compareTexts(windows));
  const [error, setError] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = parseCompareTexts(texts);
    if (r.ok) {
      setError('');
      onApply(r.windows);
    } else {
      setError(r.error);
    }
  };

  const input = (side: 'before' | 'after', edge: 'start' | 'end', label: string) => (
    <label className="cmp-field">
      <span>{label}</span>
      <input
        type="datetime-local"
        step={1}
        value={texts[side][edge]}
        onChange={(e) => setTexts({ ...texts, [side]: { ...texts[side], [edge]: e.target.value } })}
        data-testid={`compare-${side}-${edge}`}
      />
    </label>
  );

  return (
    <form className="cmp-form" onSubmit={submit} data-testid="compare-form">
      <fieldset>
        <legend>Before</legend>
        {input('before', 'start', 'From')}
        {input('before', 'end', 'to')}
      </fieldset>
      <fieldset>
        <legend>After</legend>
        {input('after', 'start', 'From')}
        {input('after', 'end', 'to')}
      </fieldset>
      <div className="cmp-actions">
        <button type="submit" data-testid="compare-apply">
          Compare
        </button>
        <button type="button" onClick={onReset} disabled={isDefault} data-testid="compare-reset">
          Previous period
        </button>
      </div>
      {error && (
        <p className="field-error" data-testid="compare-form-error">
          {error}
        </p>
      )}
    </form>
  );
}

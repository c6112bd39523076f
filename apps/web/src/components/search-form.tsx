import type { FormEvent, ReactNode } from 'react';
import { type FormErrors, LOOKBACKS, type SearchForm as SearchFormState } from '../search/search-params.ts';

type Props = {
  form: SearchFormState;
  errors: FormErrors;
  services: string[];
  /** 'loading', 'done', or an error message */
  servicesState: string;
  operations: string[];
  onChange: (form: SearchFormState) => void;
  onSubmit: () => void;
  searching: boolean;
};

function Field({
  label,
  htmlFor,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error && (
        <p className="field-error" data-testid={`error-${htmlFor}`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function SearchForm({
  form,
  errors,
  services,
  servicesState,
  operations,
  onChange,
  onSubmit,
  searching,
}: Props) {
  const set = <K extends keyof SearchFormState>(key: K, value: SearchFormState[K]) =>
    onChange({ ...form, [key]: value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  // Keep a service or operation from the URL selectable even before (or without) the lists.
  const serviceOptions =
    form.service && !services.includes(form.service) ? [form.service, ...services] : services;
  const opOptions =
    form.operation && !operations.includes(form.operation) ? [form.operation, ...operations] : operations;
  const servicesError = servicesState !== 'loading' && servicesState !== 'done' && servicesState !== 'idle';

  return (
    <form className="search-form" onSubmit={submit} data-testid="search-form" noValidate>
      <h2>Search</h2>
      <Field label="Service" htmlFor="service" error={errors.service}>
        <select
          id="service"
          value={form.service}
          onChange={(e) => onChange({ ...form, service: e.target.value, operation: '' })}
          data-testid="service-select"
          disabled={servicesState === 'loading' && serviceOptions.length === 0}
        >
          {serviceOptions.length === 0 && (
            <option value="">{servicesState === 'loading' ? 'Loading…' : 'No services yet'}</option>
          )}
          {serviceOptions.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {servicesError && <p className="field-error">Services could not be loaded: {servicesState}</p>}
      </Field>
      <Field label="Operation" htmlFor="operation">
        <select
          id="operation"
          value={form.operation}
          onChange={(e) => set('operation', e.target.value)}
          data-testid="operation-select"
        >
          <option value="">all</option>
          {opOptions.map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Tags" htmlFor="tags" error={errors.tags}>
        <input
          id="tags"
          type="text"
          value={form.tags}
          placeholder="http.status_code=500 error=true"
          onChange={(e) => set('tags', e.target.value)}
          data-testid="tags-input"
          spellCheck={false}
        />
        <p className="field-hint">logfmt: key=value, space separated; quote values with spaces</p>
      </Field>
      <Field label="Lookback" htmlFor="lookback">
        <select
          id="lookback"
          value={form.lookback}
          onChange={(e) => set('lookback', e.target.value)}
          data-testid="lookback-select"
        >
          {LOOKBACKS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </Field>
      <div className="field-row">
        <Field label="Min duration" htmlFor="minDuration" error={errors.minDuration}>
          <input
            id="minDuration"
            type="text"
            value={form.minDuration}
            placeholder="e.g. 100ms"
            onChange={(e) => set('minDuration', e.target.value)}
            data-testid="min-duration-input"
          />
        </Field>
        <Field label="Max duration" htmlFor="maxDuration" error={errors.maxDuration}>
          <input
            id="maxDuration"
            type="text"
            value={form.maxDuration}
            placeholder="e.g. 1.2s"
            onChange={(e) => set('maxDuration', e.target.value)}
            data-testid="max-duration-input"
          />
        </Field>
      </div>
      <Field label="Limit results" htmlFor="limit" error={errors.limit}>
        <input
          id="limit"
          type="number"
          min={1}
          value={form.limit}
          onChange={(e) => set('limit', e.target.value)}
          data-testid="limit-input"
        />
      </Field>
      <button type="submit" className="primary" data-testid="find-button" disabled={searching}>
        {searching ? 'Searching…' : 'Find Traces'}
      </button>
    </form>
  );
}

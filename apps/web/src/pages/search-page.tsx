import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchOperations, fetchServices, findTraces } from '../api/jaeger-client.ts';
import { SearchForm } from '../components/search-form.tsx';
import { SearchResults } from '../components/search-results.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { navigate } from '../router/history.ts';
import {
  type FormErrors,
  formFromUrl,
  formToQuery,
  formToUrl,
  type SearchForm as SearchFormState,
  validateForm,
} from '../search/search-params.ts';
import { summarizeTrace } from '../trace/summary.ts';

const LAST_SERVICE_KEY = 'genba.lastService';

function rememberedService(): string {
  try {
    return window.localStorage.getItem(LAST_SERVICE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function SearchPage({ search }: { search: string }) {
  const urlForm = useMemo(() => formFromUrl(search), [search]);
  const [form, setForm] = useState<SearchFormState>(urlForm);
  const [errors, setErrors] = useState<FormErrors>({});
  // Bumped by every Find click, so that searching again with the same URL re-runs the query.
  const [runCount, setRunCount] = useState(0);

  // Back/forward: the URL is the truth, including its mistakes.
  useEffect(() => {
    setForm(urlForm);
    setErrors(urlForm.service ? validateForm(urlForm) : {});
  }, [urlForm]);

  const services = useAsync('services', fetchServices);
  const serviceList = services.status === 'done' ? services.data : [];

  // With no service in the URL, preselect the last one used, else the first.
  useEffect(() => {
    if (serviceList.length === 0) return;
    setForm((f) => {
      if (f.service) return f;
      const last = rememberedService();
      return { ...f, service: serviceList.includes(last) ? last : serviceList[0] };
    });
  }, [serviceList]);

  const operations = useAsync(form.service ? `ops:${form.service}` : null, (signal) =>
    fetchOperations(form.service, signal),
  );

  const urlErrors = useMemo(() => validateForm(urlForm), [urlForm]);
  const searchKey =
    urlForm.service && Object.keys(urlErrors).length === 0 ? `${runCount}:${formToUrl(urlForm)}` : null;
  const results = useAsync(searchKey, (signal) => findTraces(formToQuery(urlForm, Date.now()), signal));
  const summaries = useMemo(
    () => (results.status === 'done' ? results.data.map(summarizeTrace) : []),
    [results],
  );

  const submit = useCallback(() => {
    const errs = validateForm(form);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    try {
      window.localStorage.setItem(LAST_SERVICE_KEY, form.service);
    } catch {
      // private mode: nothing to remember
    }
    setRunCount((n) => n + 1);
    navigate(formToUrl(form));
  }, [form]);

  return (
    <div className="search-page">
      <aside className="search-sidebar">
        <SearchForm
          form={form}
          errors={errors}
          services={serviceList}
          servicesState={services.status === 'error' ? services.error : services.status}
          operations={operations.status === 'done' ? operations.data : []}
          onChange={(next) => {
            setForm(next);
            setErrors({});
          }}
          onSubmit={submit}
          searching={results.status === 'loading'}
        />
      </aside>
      <section className="search-main">
        <SearchResults
          state={results}
          summaries={summaries}
          hasQuery={searchKey !== null}
          invalidQuery={Boolean(urlForm.service) && searchKey === null}
        />
      </section>
    </div>
  );
}

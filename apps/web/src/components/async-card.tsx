import type { ReactNode } from 'react';
import type { AsyncState } from '../hooks/use-async.ts';

type Props<T> = {
  title: ReactNode;
  state: AsyncState<T>;
  testId: string;
  /** extra content in the title row, e.g. a form */
  actions?: ReactNode;
  /** shown whatever the state, between the title and the content */
  intro?: ReactNode;
  className?: string;
  children: (data: T) => ReactNode;
};

/** A card of the value-stream page: its title, then loading, the error, or the content. */
export function AsyncCard<T>({ title, state, testId, actions, intro, className, children }: Props<T>) {
  return (
    <section className={className ? `vs-card ${className}` : 'vs-card'} data-testid={testId}>
      <div className="vs-card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {intro}
      {state.status === 'done' ? (
        children(state.data)
      ) : state.status === 'error' ? (
        <p className="error-text" data-testid={`${testId}-error`}>
          {state.error}
        </p>
      ) : (
        <p className="muted" data-testid={`${testId}-loading`}>
          Loading…
        </p>
      )}
    </section>
  );
}

import { useEffect, useId, useState } from 'react';

/** Filters people write most, in MLflow's trace search grammar (AND only). */
export const FILTER_EXAMPLES = [
  "trace.status = 'ERROR'",
  'trace.execution_time_ms > 1000',
  "trace.name = 'chat'",
  "tags.environment = 'production'",
  "span.name = 'retrieve'",
  "feedback.correctness = 'yes'",
  "trace.text ILIKE '%paris%'",
  "metadata.`mlflow.sourceRun` = '<run id>'",
];

/**
 * The filter box: applied on Enter (not on every key, each search is a request), with the server's message
 * below when it refuses the filter, and the grammar's common forms one click away.
 */
export const TraceFilter = ({ value, error, onApply }: { value: string; error: string | undefined; onApply: (filter: string) => void }) => {
  const [text, setText] = useState(value);
  const errorId = useId();
  useEffect(() => setText(value), [value]);
  return (
    <div className="trace-filter">
      <form
        className="row"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          onApply(text.trim());
        }}
      >
        <input
          type="search"
          data-search
          className="mono trace-filter-input"
          aria-label="Filter traces"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          placeholder="trace.status = 'ERROR' AND tags.env = 'prod'   (press / to focus)"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && text !== value) setText(value);
          }}
        />
        <button type="submit">Search</button>
        {value && (
          <button type="button" onClick={() => onApply('')}>
            Clear
          </button>
        )}
      </form>
      {error && (
        <div id={errorId} className="inline-error" role="alert">
          {error}
        </div>
      )}
      <details className="filter-help small">
        <summary className="muted">Filter syntax</summary>
        <ul className="list-plain">
          {FILTER_EXAMPLES.map((example) => (
            <li key={example}>
              <button type="button" className="link mono" onClick={() => setText((t) => (t.trim() ? `${t.trim()} AND ${example}` : example))}>
                {example}
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
};

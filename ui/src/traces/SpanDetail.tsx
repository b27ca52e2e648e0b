import { useId } from 'react';
import { AssessmentList } from './AssessmentList';
import { formatSpanDuration, valueText } from './format';
import { SHOWN_ELSEWHERE } from './span-read';
import type { TimeRange } from './spans';
import { typeClass, typeLabel } from './span-types';
import { ValueView } from './ValueView';
import type { Assessment, Span, SpanEvent } from './types';

export type DetailTab = 'io' | 'attributes' | 'events' | 'assessments';

const EventView = ({ event, span }: { event: SpanEvent; span: Span }) => {
  const { attributes } = event;
  const isException = event.name === 'exception';
  const rest = Object.entries(attributes).filter(([key]) => !isException || !key.startsWith('exception.'));
  return (
    <li className={`span-event${isException ? ' exception' : ''}`}>
      <div className="row">
        <strong>{event.name || '(event)'}</strong>
        {event.timeMs !== undefined && <span className="muted small mono">+{formatSpanDuration(Math.max(0, event.timeMs - span.startMs))}</span>}
      </div>
      {isException && (
        <>
          <p className="error-text">
            {valueText(attributes['exception.type'])}
            {attributes['exception.message'] !== undefined && `: ${valueText(attributes['exception.message'])}`}
          </p>
          {attributes['exception.stacktrace'] !== undefined && <pre className="value-text small">{valueText(attributes['exception.stacktrace'])}</pre>}
        </>
      )}
      {rest.length > 0 && <AttributeTable entries={rest} label={`Attributes of event ${event.name}`} />}
    </li>
  );
};

const AttributeTable = ({ entries, label }: { entries: [string, unknown][]; label: string }) => (
  <table className="kv attribute-table" aria-label={label}>
    <tbody>
      {entries.map(([key, value]) => (
        <tr key={key}>
          <th scope="row" className="mono">
            {key}
          </th>
          <td className="mono">{typeof value === 'object' && value !== null ? <pre className="value-inline">{JSON.stringify(value, null, 2)}</pre> : valueText(value)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** The selected span: what it was given and returned, its attributes, its events (exceptions first), its assessments. */
export const SpanDetail = ({
  span,
  range,
  tab,
  onTab,
  assessments,
}: {
  span: Span;
  range: TimeRange;
  tab: DetailTab;
  onTab: (tab: DetailTab) => void;
  assessments: readonly Assessment[];
}) => {
  const id = useId();
  const attributes = Object.entries(span.attributes)
    .filter(([key]) => !SHOWN_ELSEWHERE.has(key))
    .sort(([a], [b]) => a.localeCompare(b));
  const events = [...span.events].sort((a, b) => Number(b.name === 'exception') - Number(a.name === 'exception'));
  const tabs: { key: DetailTab; label: string }[] = [
    { key: 'io', label: 'Inputs & outputs' },
    { key: 'attributes', label: `Attributes (${attributes.length})` },
    { key: 'events', label: `Events (${events.length})` },
    ...(assessments.length > 0 || tab === 'assessments' ? [{ key: 'assessments' as const, label: `Assessments (${assessments.length})` }] : []),
  ];
  const shown = tabs.some((t) => t.key === tab) ? tab : 'io';
  const duration = span.endMs === undefined ? undefined : span.endMs - span.startMs;
  return (
    <section className="span-detail" aria-label={`Span ${span.name}`}>
      <div className="span-detail-head">
        <h2 className="row">
          <span className={`swatch ${typeClass(span.type)}`} aria-hidden="true" />
          <span className="span-detail-name">{span.name}</span>
        </h2>
        <div className="row small">
          <span className="type-chip">{typeLabel(span.type)}</span>
          <span className={`span-status ${span.status}`}>{span.status === 'UNSET' ? 'Status unset' : span.status === 'OK' ? 'OK' : 'Error'}</span>
          <span className="muted">
            {duration === undefined ? 'still running' : formatSpanDuration(duration)} · starts at +{span.startMs > range.startMs ? formatSpanDuration(span.startMs - range.startMs) : '0'}
          </span>
          <span className="muted mono">span {span.id}</span>
        </div>
        {span.statusMessage && <p className="error-text small">{span.statusMessage}</p>}
      </div>
      <div role="tablist" aria-label="Span details" className="detail-tabs">
        {tabs.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            id={`${id}-${t.key}`}
            aria-selected={shown === t.key}
            aria-controls={`${id}-panel`}
            tabIndex={shown === t.key ? 0 : -1}
            onClick={() => onTab(t.key)}
            onKeyDown={(event) => {
              const at = tabs.findIndex((x) => x.key === shown);
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              const next = tabs[(at + step + tabs.length) % tabs.length];
              if (step && next) {
                event.preventDefault();
                onTab(next.key);
                document.getElementById(`${id}-${next.key}`)?.focus();
              }
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${shown}`} className="detail-panel">
        {shown === 'io' && (
          <>
            <ValueView label="Inputs" value={span.inputs} />
            <ValueView label="Outputs" value={span.outputs} />
          </>
        )}
        {shown === 'attributes' &&
          (attributes.length ? <AttributeTable entries={attributes} label="Span attributes" /> : <p className="muted small">No attributes.</p>)}
        {shown === 'events' &&
          (events.length ? (
            <ul className="list-plain">
              {events.map((event, i) => (
                <EventView key={i} event={event} span={span} />
              ))}
            </ul>
          ) : (
            <p className="muted small">No events.</p>
          ))}
        {shown === 'assessments' && <AssessmentList assessments={assessments} />}
      </div>
    </section>
  );
};

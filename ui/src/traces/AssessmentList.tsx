import { formatTime } from '../views/runs/cells';
import { VerdictChip } from './Badges';
import { assessmentValue, SOURCE_LABEL, valueText, verdictOf } from './format';
import { spanIdText } from './span-read';
import type { Assessment } from './types';

const sourceText = (assessment: Assessment) => {
  const type = assessment.source?.source_type;
  const label = (type && SOURCE_LABEL[type]) || (type && type !== 'SOURCE_TYPE_UNSPECIFIED' ? type : '');
  return [label, assessment.source?.source_id].filter(Boolean).join(' · ');
};

/**
 * Feedback and expectations on the trace (or on one of its spans): value at a glance, then who gave it and why.
 * Overridden assessments stay listed, marked, as MLflow keeps them as history.
 */
export const AssessmentList = ({
  assessments,
  spanName,
  onSpan,
}: {
  assessments: readonly Assessment[];
  /** The name of a span by id, for assessments given on a span. */
  spanName?: (id: string) => string | undefined;
  onSpan?: (id: string) => void;
}) => {
  if (assessments.length === 0) return <p className="muted small">None yet.</p>;
  const sorted = [...assessments].sort((a, b) => Number(a.valid === false) - Number(b.valid === false) || a.assessment_name.localeCompare(b.assessment_name));
  return (
    <ul className="assessment-list list-plain">
      {sorted.map((assessment, i) => {
        const value = assessmentValue(assessment);
        const error = assessment.feedback?.error;
        const spanId = spanIdText(assessment.span_id);
        const time = assessment.last_update_time ?? assessment.create_time;
        return (
          <li key={assessment.assessment_id ?? i} className={`assessment${assessment.valid === false ? ' overridden' : ''}`}>
            <div className="row">
              <VerdictChip name={assessment.assessment_name} text={error ? 'error' : valueText(value)} verdict={verdictOf(assessment)} />
              <span className="muted small">{assessment.expectation ? 'Expectation' : 'Feedback'}</span>
              {assessment.valid === false && <span className="muted small">(overridden)</span>}
            </div>
            <div className="muted small">
              {sourceText(assessment)}
              {time && ` · ${formatTime(Date.parse(time))}`}
              {spanId && (
                <>
                  {' · on span '}
                  {onSpan ? (
                    <button type="button" className="link small" onClick={() => onSpan(spanId)}>
                      {spanName?.(spanId) ?? spanId}
                    </button>
                  ) : (
                    (spanName?.(spanId) ?? spanId)
                  )}
                </>
              )}
            </div>
            {assessment.rationale && <p className="rationale">{assessment.rationale}</p>}
            {error && (
              <p className="error-text small">
                {error.error_code}
                {error.error_message && `: ${error.error_message}`}
              </p>
            )}
            {value !== null && typeof value === 'object' && <pre className="value-text small">{JSON.stringify(value, null, 2)}</pre>}
          </li>
        );
      })}
    </ul>
  );
};

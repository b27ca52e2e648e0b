import { assessmentSummary, STATE_LABEL, type Verdict } from './format';
import type { Assessment, TraceState } from './types';

const STATE_MARK: Record<TraceState, string> = { OK: '✓', ERROR: '✕', IN_PROGRESS: '◔', STATE_UNSPECIFIED: '?' };

/** A trace's state as a colored badge; the mark and the word carry it without the color too. */
export const StateBadge = ({ state }: { state: TraceState }) => (
  <span className={`trace-state ${state}`}>
    <span aria-hidden="true">{STATE_MARK[state]}</span> {STATE_LABEL[state]}
  </span>
);

const VERDICT_MARK: Record<Verdict, string> = { pass: '✓', fail: '✕', error: '!', neutral: '' };

export const VerdictChip = ({ name, text, verdict }: { name: string; text: string; verdict: Verdict }) => (
  <span className={`assessment-chip ${verdict}`} title={`${name}: ${text}`}>
    {VERDICT_MARK[verdict] && <span aria-hidden="true">{VERDICT_MARK[verdict]} </span>}
    <span className="assessment-name">{name}</span>
    {text && <span className="assessment-value">{text}</span>}
  </span>
);

/** One chip per assessment name: its value, or how many of several passed. */
export const AssessmentChips = ({ assessments, limit = 4 }: { assessments: readonly Assessment[] | undefined; limit?: number }) => {
  const summary = assessmentSummary(assessments);
  if (summary.length === 0) return null;
  return (
    <span className="chips">
      {summary.slice(0, limit).map((item) => (
        <VerdictChip key={item.name} {...item} />
      ))}
      {summary.length > limit && <span className="muted small">+{summary.length - limit}</span>}
    </span>
  );
};

const tagText = ([key, value]: readonly [string, string]) => (value ? `${key}: ${value}` : key);

/**
 * A trace's tags as one-line chips, cut with an ellipsis where the column is narrow (the whole `key: value` in
 * the title, and in the text a screen reader reads); past `limit`, "+N" stands for the rest and lists them too.
 */
export const TagChips = ({ tags, limit = 3 }: { tags: readonly [string, string][]; limit?: number }) => {
  if (tags.length === 0) return null;
  const rest = tags.slice(limit);
  return (
    <span className="chips">
      {tags.slice(0, limit).map(([key, value]) => (
        <span key={key} className="tag-chip" title={tagText([key, value])}>
          {key}
          {value && <span className="muted">={value}</span>}
        </span>
      ))}
      {rest.length > 0 && (
        <span className="chip-more" title={rest.map(tagText).join('\n')}>
          +{rest.length}
          <span className="visually-hidden"> more: {rest.map(tagText).join(', ')}</span>
        </span>
      )}
    </span>
  );
};

import { quoteKey } from '../../app/url-state';

/**
 * Autocomplete for MLflow's search grammar: completes the word under the caret with an entity prefix
 * (`metrics.`, `params.`, …) or a full key (`metrics.val_loss`, ``params.`learning rate` ``) from the keys the
 * loaded runs carry.
 */
export interface FilterKeys {
  metrics: readonly string[];
  params: readonly string[];
  tags: readonly string[];
}

export interface Suggestions {
  /** The range of the text a suggestion replaces. */
  from: number;
  to: number;
  items: string[];
}

const ENTITY_ALIASES: Record<string, 'metrics' | 'params' | 'tags' | 'attributes'> = {
  metric: 'metrics',
  metrics: 'metrics',
  param: 'params',
  params: 'params',
  parameter: 'params',
  parameters: 'params',
  tag: 'tags',
  tags: 'tags',
  attribute: 'attributes',
  attributes: 'attributes',
  attr: 'attributes',
};

const ATTRIBUTES = ['run_name', 'status', 'start_time', 'end_time', 'user_id', 'run_id', 'artifact_uri'];
const ENTITY_PREFIXES = ['metrics.', 'params.', 'tags.', 'attributes.', 'datasets.'];
const LIMIT = 12;

/** Where the word under the caret starts: after whitespace, an operator, a bracket or a comma. */
const wordStart = (text: string, caret: number): number => {
  let at = caret;
  let inBackquote = false;
  while (at > 0) {
    const ch = text[at - 1]!;
    if (ch === '`') inBackquote = !inBackquote;
    else if (!inBackquote && /[\s=<>!(),'"]/.test(ch)) break;
    at--;
  }
  return at;
};

export const suggestFilter = (text: string, caret: number, keys: FilterKeys): Suggestions => {
  const from = wordStart(text, caret);
  const word = text.slice(from, caret);
  const none = { from, to: caret, items: [] };
  if (!word) return none;
  // Only complete where a key can stand: at the start, or after AND / an opening bracket.
  const before = text.slice(0, from).trimEnd();
  if (before && !/(^|\s)and$/i.test(before) && !before.endsWith('(')) return none;

  const lower = word.toLowerCase().replace(/`/g, '');
  const dot = lower.indexOf('.');
  const keysOf = (entity: string): readonly string[] =>
    entity === 'metrics' ? keys.metrics : entity === 'params' ? keys.params : entity === 'tags' ? keys.tags : entity === 'attributes' ? ATTRIBUTES : [];

  let items: string[];
  if (dot < 0) {
    const prefixes = ENTITY_PREFIXES.filter((prefix) => prefix.startsWith(lower));
    const full = (['metrics', 'params', 'tags'] as const).flatMap((entity) =>
      keysOf(entity)
        .filter((key) => key.toLowerCase().includes(lower))
        .map((key) => `${entity}.${quoteKey(key)}`),
    );
    items = [...prefixes, ...full];
  } else {
    const entity = ENTITY_ALIASES[lower.slice(0, dot)];
    if (!entity) return none;
    const rest = lower.slice(dot + 1);
    const matching = keysOf(entity).filter((key) => key.toLowerCase().includes(rest));
    // Prefix matches first: typing `metrics.lo` wants `loss` before `val_loss`.
    matching.sort((a, b) => Number(!a.toLowerCase().startsWith(rest)) - Number(!b.toLowerCase().startsWith(rest)) || a.localeCompare(b));
    items = matching.map((key) => `${entity}.${entity === 'attributes' ? key : quoteKey(key)}`);
  }
  return { from, to: caret, items: [...new Set(items)].filter((item) => item !== word).slice(0, LIMIT) };
};

/** The text after choosing `item`, and where the caret goes. */
export const applySuggestion = (text: string, suggestions: Suggestions, item: string): { text: string; caret: number } => {
  const suffix = item.endsWith('.') ? '' : ' ';
  const next = `${text.slice(0, suggestions.from)}${item}${suffix}${text.slice(suggestions.to)}`;
  return { text: next, caret: suggestions.from + item.length + suffix.length };
};

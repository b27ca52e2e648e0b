import { useEffect, useId, useRef, useState } from 'react';
import { applySuggestion, suggestFilter, type FilterKeys, type Suggestions } from './filter-suggest';

export interface FilterBoxProps {
  value: string;
  keys: FilterKeys;
  /** The server's message for the applied filter, shown under the box. */
  error: string | undefined;
  onApply: (filter: string) => void;
}

const EMPTY: Suggestions = { from: 0, to: 0, items: [] };

/** The runs filter in MLflow's grammar: applied on Enter, keys completed from the loaded runs. */
export const FilterBox = ({ value, keys, error, onApply }: FilterBoxProps) => {
  const [draft, setDraft] = useState(value);
  const [suggestions, setSuggestions] = useState<Suggestions>(EMPTY);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const errorId = useId();

  useEffect(() => setDraft(value), [value]);

  const refresh = (text: string, caret: number) => {
    setSuggestions(suggestFilter(text, caret, keys));
    setActive(-1);
  };

  const choose = (item: string) => {
    const next = applySuggestion(draft, suggestions, item);
    setDraft(next.text);
    setSuggestions(EMPTY);
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(next.caret, next.caret);
      if (item.endsWith('.')) refresh(next.text, next.caret);
    });
  };

  const open = suggestions.items.length > 0;
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const count = suggestions.items.length;
      setActive((current) => (event.key === 'ArrowDown' ? (current + 1) % count : (current - 1 + count) % count));
    } else if (open && active >= 0 && (event.key === 'Enter' || event.key === 'Tab')) {
      event.preventDefault();
      choose(suggestions.items[active]!);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      setSuggestions(EMPTY);
      onApply(draft.trim());
    } else if (event.key === 'ArrowDown' && !open) {
      // Down from the filter goes to the runs below it, so the keyboard path needs no Tab hunting.
      event.preventDefault();
      document.querySelector<HTMLElement>('[role="grid"]')?.focus();
    } else if (event.key === 'Escape') {
      if (open) setSuggestions(EMPTY);
      else input.current?.blur();
    }
  };

  return (
    <div className="filter-box">
      <div className="row" style={{ flexWrap: 'nowrap', position: 'relative' }}>
        <label className="visually-hidden" htmlFor={`${listId}-input`}>
          Filter runs
        </label>
        <input
          id={`${listId}-input`}
          ref={input}
          data-search
          type="search"
          className="mono"
          style={{ flex: 1, minWidth: 0 }}
          placeholder={'Filter runs: metrics.rmse < 1 and params.model = "tree"   ( / to focus, Enter to apply )'}
          value={draft}
          spellCheck={false}
          autoComplete="off"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setDraft(event.target.value);
            refresh(event.target.value, event.target.selectionStart ?? event.target.value.length);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setSuggestions(EMPTY), 150)}
        />
        <button type="button" onClick={() => onApply(draft.trim())}>
          Apply
        </button>
        {value && (
          <button type="button" onClick={() => onApply('')} aria-label="Clear the filter">
            Clear
          </button>
        )}
        {open && (
          <ul id={listId} role="listbox" className="popover list suggestions" style={{ top: 32, left: 0, minWidth: 320 }}>
            {suggestions.items.map((item, index) => (
              <li
                key={item}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                className="mono"
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(item);
                }}
              >
                {item}
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <div id={errorId} role="alert" className="inline-error" style={{ marginTop: 6 }}>
          {error}
        </div>
      )}
    </div>
  );
};

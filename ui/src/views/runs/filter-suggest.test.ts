import { describe, expect, it } from 'vitest';
import { applySuggestion, suggestFilter } from './filter-suggest';

const keys = { metrics: ['loss', 'val_loss', 'val acc'], params: ['lr', 'model'], tags: ['team'] };

describe('filter autocomplete', () => {
  it('offers entity prefixes and matching keys for a bare word', () => {
    const s = suggestFilter('me', 2, keys);
    expect(s.items[0]).toBe('metrics.');
    expect(suggestFilter('lo', 2, keys).items).toEqual(['metrics.loss', 'metrics.val_loss']);
  });

  it('completes keys of an entity, prefix matches first, backquoting odd keys', () => {
    expect(suggestFilter('metrics.va', 10, keys).items).toEqual(['metrics.`val acc`', 'metrics.val_loss']);
    expect(suggestFilter('metrics.lo', 10, keys).items).toEqual(['metrics.loss', 'metrics.val_loss']);
    expect(suggestFilter('param.m', 7, keys).items).toEqual(['params.model']);
  });

  it('completes after AND but not inside a value', () => {
    const text = 'metrics.loss < 1 and params.l';
    expect(suggestFilter(text, text.length, keys).items).toEqual(['params.lr', 'params.model']);
    const value = "params.model = 'mo";
    expect(suggestFilter(value, value.length, keys).items).toEqual([]);
  });

  it('replaces the word under the caret', () => {
    const text = 'metrics.lo < 1';
    const s = suggestFilter(text, 10, keys);
    expect(applySuggestion(text, s, 'metrics.loss')).toEqual({ text: 'metrics.loss  < 1', caret: 13 });
    const prefix = suggestFilter('ta', 2, keys);
    expect(applySuggestion('ta', prefix, 'tags.')).toEqual({ text: 'tags.', caret: 5 });
  });
});

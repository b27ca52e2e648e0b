import { useRef } from 'react';

export interface PageTokens {
  /** 1 on the first page. */
  index: number;
  previous?: () => void;
  next?: () => void;
}

/**
 * Paging with the server's page tokens, the current token in the URL: each token's previous token and page
 * number are remembered, so Previous works without a token stack in the URL.
 */
export const usePageTokens = (page: string, nextToken: string | undefined, goTo: (token: string) => void): PageTokens => {
  const pages = useRef(new Map<string, { previous: string; index: number }>([['', { previous: '', index: 1 }]]));
  const here = pages.current.get(page);
  const index = here?.index ?? 1;
  return {
    index,
    previous: page ? () => goTo(here?.previous ?? '') : undefined,
    next: nextToken
      ? () => {
          pages.current.set(nextToken, { previous: page, index: index + 1 });
          goTo(nextToken);
        }
      : undefined,
  };
};

/** Previous / Next under a list, with the page number and how many `noun` this page shows. */
export const Pager = ({ pages, count, noun }: { pages: PageTokens; count: number; noun: string }) => (
  <nav className="row pager" aria-label="Pages">
    <button type="button" disabled={!pages.previous} onClick={pages.previous}>
      ← Previous
    </button>
    <span className="muted small">
      Page {pages.index}
      {count > 0 && ` · ${count} ${noun}`}
    </span>
    <button type="button" disabled={!pages.next} onClick={pages.next}>
      Next →
    </button>
  </nav>
);

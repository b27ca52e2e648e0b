/**
 * Which resources of a search the caller may see (experiments by id, registered models by model id).
 * Searches apply it before sorting and paging, so a page holds only what the caller may read and its token
 * walks the caller's own results. Absent: everything is visible (authorization off, or an admin).
 */
export interface Visibility {
  /**
   * Who is looking. Page tokens are bound to it: a token continues only the search of the caller it was
   * issued to, so one caller's token never resumes inside another caller's results.
   */
  readonly viewer: string;
  /** A lookup in memory: searches call it once per candidate, never a read per item. */
  readonly sees: (id: string) => boolean;
}

/** The ids of `ids` the caller may see, all of them when there is no visibility to apply. */
export const visibleIds = (ids: readonly string[], visible: Visibility | undefined): string[] =>
  visible ? ids.filter((id) => visible.sees(id)) : [...ids];

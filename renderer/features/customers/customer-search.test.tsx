import { describe, expect, it } from 'vitest';
import { resultsState } from './CustomerSearch';

const base = { query: 'jo', shownFor: 'jo', slow: false, error: null };

describe('customer search results while the next query is asked', () => {
  it('the answer to what is in the box: fresh, not dimmed', () => {
    expect(resultsState(base)).toEqual({ fresh: true, dim: false });
    expect(resultsState({ ...base, query: ' jo ' })).toEqual({ fresh: true, dim: false });
  });

  it("an earlier query's hits: not fresh at once (Enter does not open them), dimmed only once the search is slow", () => {
    expect(resultsState({ ...base, query: 'jos' })).toEqual({ fresh: false, dim: false });
    expect(resultsState({ ...base, query: 'jos', slow: true })).toEqual({ fresh: false, dim: true });
  });

  it("an earlier query's hits are dimmed when this query's search failed", () => {
    expect(resultsState({ ...base, query: 'jos', error: 'The core is not answering.' })).toEqual({ fresh: false, dim: true });
  });

  it('nothing shown yet is never fresh', () => {
    expect(resultsState({ ...base, shownFor: '', query: '' })).toEqual({ fresh: false, dim: false });
  });
});

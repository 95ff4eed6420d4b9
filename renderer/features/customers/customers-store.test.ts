import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** customers.search answered by hand: each call waits until the test settles it. */
const pending: { query: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
vi.mock('../../lib/api', () => ({
  call: vi.fn((channel: string, input: { query: string }) => {
    if (channel !== 'customers.search') throw new Error(`unexpected channel ${channel}`);
    return new Promise((resolve, reject) => pending.push({ query: input.query, resolve, reject }));
  }),
}));
vi.mock('../../lib/error-text', () => ({ describeError: (e: unknown) => `failed: ${String(e)}` }));

const { useCustomers, SLOW_SEARCH_MS } = await import('./customers-store');

const hit = (id: string) => ({ customer: { id, name: id }, cards: [], matched: 'name' });
const answer = (i: number, ids: string[], more = false) => pending[i]!.resolve({ hits: ids.map(hit), more });
/** The answer's continuations. */
const tick = () => vi.advanceTimersByTimeAsync(1);
/** Waits until `n` searches have been sent (the send runs in a task posted behind the keystroke's). */
const sent = (n: number) => vi.waitFor(() => expect(pending).toHaveLength(n));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  pending.length = 0;
  useCustomers.getState().setQuery('');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('customer search store', () => {
  it('searches for what is typed without a debounce, and shows the answer', async () => {
    const s = useCustomers.getState();
    s.setQuery('jo');
    expect(useCustomers.getState()).toMatchObject({ query: 'jo', searching: true, slow: false });
    expect(pending).toHaveLength(0); // not from the keystroke's own task
    await sent(1);
    expect(pending.map((p) => p.query)).toEqual(['jo']);
    answer(0, ['a', 'b'], true);
    await tick();
    expect(useCustomers.getState()).toMatchObject({ shownFor: 'jo', more: true, active: 0, searching: false, slow: false, error: null });
    expect(useCustomers.getState().hits.map((h) => h.customer.id)).toEqual(['a', 'b']);
  });

  it('keeps the old hits while the next query is in flight, and drops superseded answers', async () => {
    const s = useCustomers.getState();
    s.setQuery('j');
    await sent(1);
    answer(0, ['j1']);
    await tick();
    s.setQuery('jo');
    await sent(2);
    s.setQuery('jos');
    s.setQuery('jose');
    expect(useCustomers.getState().hits.map((h) => h.customer.id)).toEqual(['j1']); // old hits stay
    answer(1, ['jo1']); // 'jo' answered after 'jose' was typed: not shown
    await sent(3);
    expect(useCustomers.getState().shownFor).toBe('j');
    expect(pending.map((p) => p.query)).toEqual(['j', 'jo', 'jose']); // 'jos' never sent
    answer(2, ['jose1']);
    await tick();
    expect(useCustomers.getState()).toMatchObject({ shownFor: 'jose', searching: false });
  });

  it('does not search again for trailing spaces', async () => {
    const s = useCustomers.getState();
    s.setQuery('ann');
    await sent(1);
    answer(0, ['a']);
    await tick();
    s.setQuery('ann ');
    await vi.advanceTimersByTimeAsync(50);
    expect(pending).toHaveLength(1);
    expect(useCustomers.getState()).toMatchObject({ query: 'ann ', shownFor: 'ann', searching: false });
  });

  it('clears at once when the field is emptied, dropping the answer in flight', async () => {
    const s = useCustomers.getState();
    s.setQuery('x');
    await sent(1);
    s.setQuery('');
    expect(useCustomers.getState()).toMatchObject({ query: '', shownFor: '', hits: [], searching: false });
    answer(0, ['x1']);
    await tick();
    expect(useCustomers.getState().hits).toEqual([]);
  });

  it('says "searching" only when an answer is late, and reports errors', async () => {
    const s = useCustomers.getState();
    s.setQuery('slow');
    await vi.advanceTimersByTimeAsync(SLOW_SEARCH_MS - 10);
    expect(useCustomers.getState().slow).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(useCustomers.getState().slow).toBe(true);
    await sent(1);
    pending[0]!.reject(new Error('down'));
    await tick();
    expect(useCustomers.getState()).toMatchObject({ slow: false, searching: false, error: 'failed: Error: down' });
  });
});

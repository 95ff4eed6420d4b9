import { describe, expect, it } from 'vitest';
import { createLatestSearch } from './latest-search';

/** A search whose requests are answered by hand, in any order. */
function harness() {
  const sent: { query: string; resolve: (v: string) => void; reject: (e: unknown) => void }[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  const s = createLatestSearch(
    (query: string) =>
      new Promise<string>((resolve, reject) => {
        sent.push({ query, resolve, reject });
      }),
    {
      onResult: (q, r) => results.push(`${q}=${r}`),
      onError: (q, e) => errors.push(`${q}:${String(e)}`),
    },
  );
  /** Lets the posted send task and the answer's continuations run. */
  const tick = () => new Promise((r) => setTimeout(r, 5));
  return { s, sent, results, errors, tick };
}

describe('createLatestSearch', () => {
  it('sends the first query from the next task, not from the keystroke\'s own', async () => {
    const h = harness();
    h.s.ask('j');
    expect(h.sent).toEqual([]);
    expect(h.s.busy).toBe(true);
    await h.tick();
    expect(h.sent.map((x) => x.query)).toEqual(['j']);
  });

  it('sends only the last of several queries asked in the same task', async () => {
    const h = harness();
    h.s.ask('j');
    h.s.ask('jo');
    await h.tick();
    expect(h.sent.map((x) => x.query)).toEqual(['jo']);
  });

  it('keeps one request in flight, sends only the newest waiting query, and drops superseded answers', async () => {
    const h = harness();
    h.s.ask('j');
    await h.tick();
    h.s.ask('jo');
    h.s.ask('jos');
    expect(h.sent.map((x) => x.query)).toEqual(['j']);
    h.sent[0]!.resolve('J');
    await h.tick();
    expect(h.results).toEqual([]); // 'j' was superseded while in flight
    expect(h.sent.map((x) => x.query)).toEqual(['j', 'jos']); // 'jo' never sent
    h.sent[1]!.resolve('JOS');
    await h.tick();
    expect(h.results).toEqual(['jos=JOS']);
    expect(h.s.busy).toBe(false);
  });

  it('answers every query when each one settles before the next is asked', async () => {
    const h = harness();
    for (const q of ['a', 'ab', 'abc']) {
      h.s.ask(q);
      await h.tick();
      h.sent[h.sent.length - 1]!.resolve(q.toUpperCase());
      await h.tick();
    }
    expect(h.results).toEqual(['a=A', 'ab=AB', 'abc=ABC']);
  });

  it('reports an error only for the newest query', async () => {
    const h = harness();
    h.s.ask('x');
    await h.tick();
    h.s.ask('xy');
    h.sent[0]!.reject(new Error('old'));
    await h.tick();
    expect(h.errors).toEqual([]);
    h.sent[1]!.reject(new Error('down'));
    await h.tick();
    expect(h.errors).toEqual(['xy:Error: down']);
    h.s.ask('xyz');
    await h.tick();
    h.sent[2]!.resolve('ok');
    await h.tick();
    expect(h.results).toEqual(['xyz=ok']);
  });

  it('cancel drops the answer in flight and the waiting query', async () => {
    const h = harness();
    h.s.ask('a');
    await h.tick();
    h.s.ask('ab');
    h.s.cancel();
    h.sent[0]!.resolve('A');
    await h.tick();
    expect(h.sent).toHaveLength(1);
    expect(h.results).toEqual([]);
    expect(h.s.busy).toBe(false);
  });

  it('sends nothing when the query is cancelled in the task that asked it', async () => {
    const h = harness();
    h.s.ask('a');
    h.s.cancel();
    await h.tick();
    expect(h.sent).toEqual([]);
    expect(h.s.busy).toBe(false);
  });
});

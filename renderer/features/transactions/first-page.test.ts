import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PosApi } from '../../../shared/contract';
import { prefetch } from '../../app/nav-store';
import { paymentsStamp } from '../../lib/api';
import { DEFAULT_FILTER, askEarlyPage, askFirstPageAhead, listInput, listStoreIn, takeEarlyPage } from './first-page';

const asked: unknown[] = [];
const pos = {
  payments: {
    list: (input: unknown) => {
      asked.push(input);
      return Promise.resolve({ ok: true, value: { rows: [], nextCursor: null, total: asked.length } });
    },
  },
} as unknown as PosApi;
(globalThis as { window?: unknown }).window = { pos };

afterEach(() => {
  asked.length = 0;
  vi.useRealTimers();
});

describe("F4's first page, asked for before the list's code is in", () => {
  it('F4 with no list loaded asks for the default filter, and the list takes that answer once', async () => {
    await prefetch('transactions');
    expect(asked).toEqual([listInput(DEFAULT_FILTER)]);
    const page = takeEarlyPage(listInput(DEFAULT_FILTER));
    expect(page?.stamp).toBe(paymentsStamp());
    await expect(page?.promise).resolves.toMatchObject({ total: 1 });
    expect(takeEarlyPage(listInput(DEFAULT_FILTER))).toBeNull(); // once only: a later load asks again
  });

  it('is not taken for another filter, nor after a second', () => {
    askEarlyPage(DEFAULT_FILTER);
    expect(takeEarlyPage(listInput({ ...DEFAULT_FILTER, query: 'smith' }))).toBeNull();
    vi.useFakeTimers({ toFake: ['performance'] });
    askEarlyPage(DEFAULT_FILTER);
    vi.advanceTimersByTime(1_001);
    expect(takeEarlyPage(listInput(DEFAULT_FILTER))).toBeNull();
  });

  it('asks ahead when the desk opens, until the list store is in', async () => {
    askFirstPageAhead();
    expect(asked).toEqual([listInput(DEFAULT_FILTER)]);
    await expect(takeEarlyPage(listInput(DEFAULT_FILTER))?.promise).resolves.toMatchObject({ total: 1 });
    askFirstPageAhead();
    askFirstPageAhead(); // the desk's effect run twice (React's strict mode): still one ask
    expect(asked).toHaveLength(2);
    listStoreIn();
    askFirstPageAhead();
    expect(asked).toHaveLength(2);
  });
});

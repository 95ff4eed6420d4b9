import type { InputOf, OutputOf } from '../../../shared/contract';
import { registerPrefetch } from '../../app/nav-store';
import { call, paymentsStamp } from '../../lib/api';

/*
 * The list's filter and first page, in the entry (the rest of Transactions is its own chunk):
 * F4 asks the core for the first page at once, even while the screen's code is still on its way,
 * and the list's store takes that answer over instead of asking again.
 */

export type ListInput = InputOf<'payments.list'>;
export type ListPage = OutputOf<'payments.list'>;
export type Filter = Required<Pick<ListInput, 'period' | 'view'>> & { status: ListInput['status'] | ''; query: string };

export const DEFAULT_FILTER: Filter = { period: 'all', view: 'all', status: '', query: '' };

/** Rows per page the list asks for. */
export const PAGE = 200;

export function listInput(f: Filter, cursor?: string): ListInput {
  return {
    period: f.period,
    view: f.view,
    ...(f.status ? { status: f.status } : {}),
    ...(f.query.trim() ? { query: f.query.trim() } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE,
  };
}

/** An answer older than this is not taken over: the list asks again. */
const FRESH_MS = 1_000;

/** The early ask: its filter, its answer, when it was asked, and `paymentsStamp()` then. */
export interface EarlyPage {
  key: string;
  promise: Promise<ListPage>;
  at: number;
  stamp: number;
}
let early: EarlyPage | null = null;

/** Asks for the first page of `filter` now; `takeEarlyPage` hands the answer to the list. */
export function askEarlyPage(filter: Filter): void {
  const input = listInput(filter);
  const promise = call('payments.list', input);
  promise.catch(() => undefined); // the list's own load reports a failure, if it takes this one
  early = { key: JSON.stringify(input), promise, at: performance.now(), stamp: paymentsStamp() };
}

/** The early ask for `input`, fresh or not. */
function earlyAskFor(input: ListInput): EarlyPage | null {
  const e = early;
  return e && e.key === JSON.stringify(input) ? e : null;
}

const isFresh = (e: EarlyPage): boolean => performance.now() - e.at <= FRESH_MS;

/** The early ask for `input` if it was made within the last second; once only. */
export function takeEarlyPage(input: ListInput): EarlyPage | null {
  const e = earlyAskFor(input);
  if (!e) return null;
  early = null;
  return isFresh(e) ? e : null;
}

let listIn = false;

/** The list's store is loaded: it asks for its own pages from now on. */
export function listStoreIn(): void {
  listIn = true;
}

/**
 * The desk has opened: the first page is asked for now, beside the list's code rather than after
 * it (the list is drawn ahead, hidden, as soon as both are in). Nothing when the store is in.
 */
export function askFirstPageAhead(): void {
  if (listIn) return;
  // Asked already and still fresh (the desk's effect run twice): one ask, not two.
  const e = earlyAskFor(listInput(DEFAULT_FILTER));
  if (e && isFresh(e)) return;
  askEarlyPage(DEFAULT_FILTER);
}

// Until the list's store is loaded (it registers its own, with the filter the clerk set), F4 asks
// for the default filter: the only one a list not yet drawn can have.
registerPrefetch('transactions', () => askEarlyPage(DEFAULT_FILTER));

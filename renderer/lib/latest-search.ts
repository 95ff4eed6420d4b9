/**
 * Search-as-you-type without a debounce timer: a query is sent in the task right after the
 * keystroke, at most one request is in flight, and only the newest query is answered.
 *
 * - `ask(q)` while nothing is in flight sends `q` from a task posted behind the current one.
 * - `ask(q)` while a request is in flight (or about to be sent) remembers `q`, replacing any query
 *   already waiting, and sends it as soon as that request settles; the superseded answer is
 *   dropped, not shown.
 * - `cancel()` drops the answer in flight and any waiting query (the field was cleared).
 *
 * Why not a debounce: a debounce of D ms makes the results land D ms (plus the round trip) after
 * each keystroke, which at typing speed is right before the next keystroke, so the result list's
 * frame and the next key's echo compete for the same vsync (docs/performance.md, renderer). Sent at
 * once, the answer is on screen a frame after the echo and the page is idle again long before the
 * next key; the in-flight limit keeps the core at one search at a time however fast one types.
 *
 * Why a posted task and not the keystroke's own: the browser renders the echo of the key before it
 * runs ordinary tasks, so starting the request (serialising, fetch/IPC) there keeps it off the
 * key's critical path (input handlers 1.2 → 0.4 ms p50, measured), and the answer cannot arrive
 * early enough to make the key's own frame lay out and paint the new result list too.
 */
export interface LatestSearch<Q> {
  ask(query: Q): void;
  cancel(): void;
  /** A request is in flight or about to be sent (its answer may still be dropped). */
  readonly busy: boolean;
}

export interface LatestSearchHandlers<Q, R> {
  /** The answer to the newest query asked (nothing newer is waiting). */
  onResult(query: Q, result: R): void;
  /** The newest query asked failed. */
  onError(query: Q, error: unknown): void;
}

/**
 * Runs `fn` in a new task behind the current one (the way React's scheduler yields: no timer
 * clamping). One channel for the page, held here: a channel made per call is garbage once its
 * message is posted, and a collected channel may never deliver it, which left a search stuck "in
 * flight" for good (an e2e saw a customer search answer nothing for 15 s).
 */
const tasks: (() => void)[] = [];
let channel: MessageChannel | undefined;
function afterThisTask(fn: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => tasks.shift()?.();
  }
  tasks.push(fn);
  channel.port2.postMessage(null);
}

export function createLatestSearch<Q, R>(run: (query: Q) => Promise<R>, handlers: LatestSearchHandlers<Q, R>): LatestSearch<Q> {
  /** Bumped by every ask and cancel: an answer counts only if nothing happened since it was asked. */
  let generation = 0;
  let waiting: { query: Q; generation: number } | null = null;
  let inFlight = false;

  const pump = async () => {
    inFlight = true;
    try {
      while (waiting) {
        const { query, generation: asked } = waiting;
        waiting = null;
        let outcome: { ok: true; value: R } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, value: await run(query) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        if (asked !== generation) continue; // superseded (a newer query waits) or cancelled
        if (outcome.ok) handlers.onResult(query, outcome.value);
        else handlers.onError(query, outcome.error);
      }
    } finally {
      inFlight = false;
    }
  };

  return {
    ask(query) {
      generation++;
      waiting = { query, generation };
      if (inFlight) return;
      inFlight = true; // from now: a second ask in this task only replaces the waiting query
      afterThisTask(() => void pump());
    },
    cancel() {
      generation++;
      waiting = null;
    },
    get busy() {
      return inFlight;
    },
  };
}

import { beforeEach, describe, expect, it, vi } from 'vitest';

// The shell must never need the Electron binary in tests: everything from 'electron' is faked.
vi.mock('electron', () => ({ ipcMain: { handle: vi.fn(), removeHandler: vi.fn() } }));

import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract';
import type { Handlers } from '../core/context';
import { silentLogger } from '../core/deps';
import { createDispatcher, type ResolvedCaller } from '../core/dispatch';
import { CoreEvents } from '../core/events';
import { EVENT_CHANNEL } from '../../shared/contract';
import { checkSender, forwardEvents, registerIpc } from './ipc';
import { fakeFrame, fakeIpcMain, fakeWindow, invokeEvent } from './test-fakes';


/**
 * A tiny "ledger" the fake handlers write to: a refused call must leave it exactly as it was.
 * Every handler is a spy, so "never called" is checked directly too.
 */
function spyCore(caller: ResolvedCaller) {
  const state = { users: ['ann'], settings: { stationName: 'Desk 1' }, hits: 0 };
  const spies = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [
      name,
      vi.fn((input: unknown) => {
        state.hits += 1;
        if (name === 'users.create') state.users.push((input as { name: string }).name);
        return { ok: true };
      }),
    ]),
  );
  const dispatch = vi.fn(createDispatcher({ handlers: spies as unknown as Handlers, resolveCaller: () => caller, log: silentLogger }));
  return { state, spies, dispatch, snapshot: () => structuredClone(state) };
}

describe('registerIpc', () => {
  const { window, contents, mainFrame } = fakeWindow();
  const ours = () => invokeEvent(contents, mainFrame);
  let ipc: ReturnType<typeof fakeIpcMain>;
  let core: ReturnType<typeof spyCore>;

  beforeEach(() => {
    ipc = fakeIpcMain();
    core = spyCore({ id: 'u2', name: 'Bob', role: 'clerk' });
    registerIpc({ ipcMain: ipc.ipc, getWindow: () => window, dispatch: core.dispatch });
  });

  function expectRefusedUntouched(result: unknown, code: string) {
    expect(result).toMatchObject({ ok: false, error: { code } });
    for (const spy of Object.values(core.spies)) expect(spy).not.toHaveBeenCalled();
    expect(core.state).toEqual({ users: ['ann'], settings: { stationName: 'Desk 1' }, hits: 0 });
  }

  it('registers exactly one handler per contract channel and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(ipc.ipc.handle).toHaveBeenCalledTimes(CHANNEL_NAMES.length);
  });

  it('passes a call from our window main frame to the core with a per-window session key', async () => {
    const result = await ipc.call('customers.create', ours(), { name: 'Dee' });
    expect(result).toEqual({ ok: true, value: { ok: true } });
    expect(core.dispatch).toHaveBeenCalledWith('customers.create', { name: 'Dee' }, { sessionKey: 'window:7', origin: 'window:7' });
  });

  it('refuses a foreign sender (another WebContents) without calling the core', async () => {
    const other = fakeWindow(8);
    const result = await ipc.call('users.create', invokeEvent(other.contents, other.mainFrame), { name: 'Eve', role: 'admin', pin: '1234' });
    expectRefusedUntouched(result, 'BAD_SENDER');
    expect(core.dispatch).not.toHaveBeenCalled();
  });

  it('refuses a cross-origin iframe sender (the gateway card page)', async () => {
    const frame = fakeFrame('https://sbcheckout.payfort.com/FortAPI/paymentPage', mainFrame, 2);
    expectRefusedUntouched(await ipc.call('payments.hostedResult', invokeEvent(contents, frame), { sessionId: 's1' }), 'BAD_SENDER');
    expect(core.dispatch).not.toHaveBeenCalled();
  });

  it('refuses a same-origin iframe sender too: only the main frame may call', async () => {
    const frame = fakeFrame('app://pos/index.html', mainFrame, 3);
    expectRefusedUntouched(await ipc.call('session.status', invokeEvent(contents, frame), {}), 'BAD_SENDER');
  });

  it('refuses a missing sender, a missing frame and a missing event', async () => {
    expectRefusedUntouched(await ipc.call('session.status', invokeEvent(undefined, mainFrame), {}), 'BAD_SENDER');
    expectRefusedUntouched(await ipc.call('session.status', invokeEvent(contents, null), {}), 'BAD_SENDER');
    expectRefusedUntouched(await ipc.call('session.status', undefined, {}), 'BAD_SENDER');
    expect(core.dispatch).not.toHaveBeenCalled();
  });

  it('refuses our main frame once it shows another origin', async () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://evil/index.html', 'about:blank']) {
      const frame = { ...fakeFrame(url, null, 1) };
      const navigated = { ...contents, mainFrame: frame };
      const w = { webContents: navigated, isDestroyed: () => false } as unknown as typeof window;
      const local = fakeIpcMain();
      registerIpc({ ipcMain: local.ipc, getWindow: () => w, dispatch: core.dispatch });
      expectRefusedUntouched(await local.call('session.status', invokeEvent(navigated, frame), {}), 'BAD_SENDER');
    }
    expect(core.dispatch).not.toHaveBeenCalled();
  });

  it('refuses everything when there is no window (closed or not yet created)', async () => {
    const local = fakeIpcMain();
    registerIpc({ ipcMain: local.ipc, getWindow: () => null, dispatch: core.dispatch });
    expectRefusedUntouched(await local.call('session.status', ours(), {}), 'BAD_SENDER');
  });

  it('passes bad input to the dispatcher, which refuses it before any handler runs', async () => {
    const result = await ipc.call('customers.create', ours(), { name: 42, extra: 'x' });
    expectRefusedUntouched(result, 'VALIDATION');
    expect(core.dispatch).toHaveBeenCalledTimes(1);
    const unknownChannelPayload = await ipc.call('customers.search', ours(), 'not an object');
    expectRefusedUntouched(unknownChannelPayload, 'VALIDATION');
  });

  it('passes an insufficient role to the dispatcher, which refuses it and changes nothing', async () => {
    const result = await ipc.call('users.create', ours(), { name: 'Mallory', role: 'admin', pin: '123456' });
    expectRefusedUntouched(result, 'FORBIDDEN');
    expectRefusedUntouched(await ipc.call('sync.resolve', ours(), { operationId: 'op1', action: 'dismiss' }), 'FORBIDDEN');
  });

  it('refuses a caller with no session and a locked session', async () => {
    for (const [caller, code] of [[null, 'UNAUTHENTICATED'], ['locked', 'SESSION_LOCKED']] as const) {
      const local = fakeIpcMain();
      const c = spyCore(caller);
      registerIpc({ ipcMain: local.ipc, getWindow: () => window, dispatch: c.dispatch });
      const result = await local.call('payments.capture', ours(), { paymentId: 'p1', amount: 100 });
      expect(result).toMatchObject({ ok: false, error: { code } });
      for (const spy of Object.values(c.spies)) expect(spy).not.toHaveBeenCalled();
      expect(c.state.hits).toBe(0);
    }
  });

  it('uses only the first argument as input', async () => {
    await ipc.call('customers.create', ours(), { name: 'Dee' }, { smuggled: true });
    expect(core.dispatch).toHaveBeenCalledWith('customers.create', { name: 'Dee' }, expect.anything());
  });

  it('never lets an exception or the Electron event cross to the page', async () => {
    const local = fakeIpcMain();
    const boom = vi.fn(async () => {
      throw new Error('secret internals');
    });
    registerIpc({ ipcMain: local.ipc, getWindow: () => window, dispatch: boom });
    const result = await local.call('session.status', ours(), {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.not.stringContaining('secret') } });
    // The event object itself is never given to the core.
    const seen = vi.fn(async (..._args: unknown[]) => ({ ok: true as const, value: null }));
    const l2 = fakeIpcMain();
    registerIpc({ ipcMain: l2.ipc, getWindow: () => window, dispatch: seen });
    const ev = ours();
    await l2.call('session.status', ev, {});
    expect(seen.mock.calls[0]).not.toContain(ev);
    expect(JSON.stringify(seen.mock.calls[0])).not.toContain('mainFrame');
  });

  it('tells onRefused the channel and reason but never the input', async () => {
    const local = fakeIpcMain();
    const onRefused = vi.fn();
    registerIpc({ ipcMain: local.ipc, getWindow: () => window, dispatch: core.dispatch, onRefused });
    await local.call('session.login', invokeEvent(undefined, null), { userId: 'u1', pin: '999999' });
    expect(onRefused).toHaveBeenCalledWith('session.login', 'foreign-sender');
    expect(JSON.stringify(onRefused.mock.calls)).not.toContain('999999');
  });

  it('unregisters every handler', () => {
    const local = fakeIpcMain();
    const off = registerIpc({ ipcMain: local.ipc, getWindow: () => window, dispatch: core.dispatch });
    off();
    expect(local.handlers.size).toBe(0);
  });
});

describe('checkSender', () => {
  it('names the reason for each refusal', () => {
    const { window, contents, mainFrame } = fakeWindow();
    expect(checkSender(invokeEvent(contents, mainFrame), window)).toEqual({ ok: true, webContentsId: 7 });
    expect(checkSender(invokeEvent(contents, mainFrame), null)).toMatchObject({ reason: 'no-window' });
    expect(checkSender(invokeEvent(fakeWindow(9).contents, mainFrame), window)).toMatchObject({ reason: 'foreign-sender' });
    expect(checkSender(invokeEvent(contents, null), window)).toMatchObject({ reason: 'no-frame' });
    expect(checkSender(invokeEvent(contents, fakeFrame('app://pos/x', mainFrame, 4)), window)).toMatchObject({ reason: 'subframe' });
    const destroyed = { ...window, isDestroyed: () => true } as unknown as typeof window;
    expect(checkSender(invokeEvent(contents, mainFrame), destroyed)).toMatchObject({ reason: 'no-window' });
    // A main frame whose URL and committed origin disagree (opaque/sandboxed document) is refused.
    const opaque = { ...mainFrame, origin: 'null' };
    const w2 = { webContents: { ...contents, mainFrame: opaque }, isDestroyed: () => false } as unknown as typeof window;
    expect(checkSender(invokeEvent(w2.webContents, opaque), w2)).toMatchObject({ reason: 'foreign-origin' });
  });
});

describe('forwardEvents', () => {
  it('sends contract events to the window, payload only, re-parsed against the contract', () => {
    const { window, contents } = fakeWindow();
    const events = new CoreEvents();
    const off = forwardEvents(events, () => window);
    events.emit('hosted.returned', { sessionId: 's1', token: 'tok_secret' } as never);
    expect(contents.send).toHaveBeenCalledWith(EVENT_CHANNEL, 'hosted.returned', { sessionId: 's1' });
    events.emit('session.changed', { locked: 'nope' } as never);
    expect(contents.send).toHaveBeenCalledTimes(1);
    off();
    events.emit('hosted.returned', { sessionId: 's2' });
    expect(contents.send).toHaveBeenCalledTimes(1);
  });

  it('subscribes to every contract event and survives a closed window', () => {
    const events = new CoreEvents();
    const on = vi.spyOn(events, 'on');
    forwardEvents(events, () => null);
    expect(on.mock.calls.map((c) => c[0]).sort()).toEqual([...EVENT_NAMES].sort());
    expect(() => events.emit('hosted.returned', { sessionId: 's1' })).not.toThrow();
  });
});

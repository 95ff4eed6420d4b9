import { beforeEach, describe, expect, it, vi } from 'vitest';

// Capture what the preload hands to contextBridge; ipcRenderer is a fake with listener bookkeeping.
const exposed = new Map<string, unknown>();
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
const ipcRenderer = {
  invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
  on: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(fn);
  }),
  removeListener: vi.fn((channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn)),
  send: vi.fn(),
  sendSync: vi.fn(),
};
const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)) };

vi.mock('electron', () => ({ contextBridge, ipcRenderer }));

import { CHANNEL_NAMES } from '../../shared/contract';

function emit(...args: unknown[]) {
  for (const fn of listeners.get('pos:event') ?? []) fn({ sender: ipcRenderer, senderId: 0 }, ...args);
}

describe('preload', () => {
  beforeEach(async () => {
    exposed.clear();
    listeners.clear();
    vi.resetModules();
    ipcRenderer.invoke.mockClear();
    await import('./preload');
  });

  it('exposes exactly one thing, window.pos', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...exposed.keys()]).toEqual(['pos']);
  });

  it('has one function per contract channel plus `on`, and nothing else', () => {
    const pos = exposed.get('pos') as Record<string, Record<string, unknown>>;
    const paths: string[] = [];
    for (const [area, value] of Object.entries(pos)) {
      if (typeof value === 'function') paths.push(area);
      else for (const [action, fn] of Object.entries(value)) {
        expect(typeof fn).toBe('function');
        paths.push(`${area}.${action}`);
      }
    }
    expect(paths.sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    expect(pos).not.toHaveProperty('invoke');
    expect(pos).not.toHaveProperty('ipcRenderer');
    expect(Object.isFrozen(pos)).toBe(true);
  });

  it('each function invokes its own channel with the input, and returns the envelope only', async () => {
    const pos = exposed.get('pos') as { payments: { capture(i: unknown): Promise<unknown> }; session: { status(i?: unknown): Promise<unknown> } };
    await expect(pos.payments.capture({ paymentId: 'p1', amount: 5 })).resolves.toEqual({ ok: true, value: { channel: 'payments.capture', input: { paymentId: 'p1', amount: 5 } } });
    await pos.session.status();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('session.status', {});
    for (const call of ipcRenderer.invoke.mock.calls) expect(call).toHaveLength(2);
  });

  it('on(): passes only the payload of the named event, never the IPC event, and unsubscribes', () => {
    const pos = exposed.get('pos') as { on(e: string, l: (p: unknown) => void): () => void };
    const seen = vi.fn();
    const off = pos.on('hosted.returned', seen);
    emit('sync.changed', { online: true });
    emit('hosted.returned', { sessionId: 's1' });
    expect(seen.mock.calls).toEqual([[{ sessionId: 's1' }]]);
    off();
    emit('hosted.returned', { sessionId: 's2' });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(listeners.get('pos:event')?.size).toBe(0);
  });

  it('on(): refuses events that are not in the contract', () => {
    const pos = exposed.get('pos') as { on(e: string, l: (p: unknown) => void): () => void };
    expect(() => pos.on('electron-store-get-data', () => {})).toThrow(TypeError);
    expect(ipcRenderer.on).not.toHaveBeenCalledWith('electron-store-get-data', expect.anything());
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';

// What the unlock preload hands to contextBridge; ipcRenderer is a fake.
const exposed = new Map<string, unknown>();
const ipcRenderer = {
  invoke: vi.fn(async (channel: string, input?: unknown) => ({ ok: true, echo: { channel, input } })),
  on: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
};
const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => exposed.set(key, api)) };

vi.mock('electron', () => ({ contextBridge, ipcRenderer }));

type Api = { state(): Promise<unknown>; unlock(p: string): Promise<unknown>; create(p: string, c: string): Promise<unknown> };

describe('unlock preload', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    ipcRenderer.invoke.mockClear();
    contextBridge.exposeInMainWorld.mockClear();
    await import('./unlock-preload');
  });

  it('exposes exactly one thing, window.unlock, with three functions, frozen; not the POS contract', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...exposed.keys()]).toEqual(['unlock']);
    const api = exposed.get('unlock') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['create', 'state', 'unlock']);
    for (const fn of Object.values(api)) expect(typeof fn).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(exposed.has('pos')).toBe(false);
  });

  it('each function invokes its own channel with one plain input object', async () => {
    const api = exposed.get('unlock') as Api;
    await api.state();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('unlock:state');
    await expect(api.unlock('correct horse battery')).resolves.toEqual({ ok: true, echo: { channel: 'unlock:unlock', input: { passphrase: 'correct horse battery' } } });
    await api.create('correct horse battery', 'correct horse battery');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('unlock:create', { passphrase: 'correct horse battery', confirm: 'correct horse battery' });
    expect(ipcRenderer.on).not.toHaveBeenCalled();
    expect(ipcRenderer.send).not.toHaveBeenCalled();
  });

  it("adds the station's locale when main put it on the renderer's argv, and only a plain one", async () => {
    const argv = process.argv;
    try {
      for (const [arg, want] of [['--pos-station-locale=ar-KW', 'ar-KW'], ['--pos-station-locale=ar-KW"><script>', undefined]] as const) {
        process.argv = [...argv, arg];
        exposed.clear();
        vi.resetModules();
        await import('./unlock-preload');
        const api = exposed.get('unlock') as Record<string, unknown>;
        expect(api['locale'], arg).toBe(want);
        expect(Object.keys(api).sort()).toEqual(want ? ['create', 'locale', 'state', 'unlock'] : ['create', 'state', 'unlock']);
        expect(Object.isFrozen(api)).toBe(true);
      }
    } finally {
      process.argv = argv;
    }
  });
});

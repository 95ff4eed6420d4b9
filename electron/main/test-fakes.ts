/**
 * Plain-object stand-ins for the few Electron objects the shell touches, for the unit tests (the
 * Electron binary is not available here). Only the members our code reads are modelled.
 */
import type { BrowserWindow, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { vi, type Mock } from 'vitest';
import type { IpcMainLike } from './ipc';

export interface FakeFrame {
  parent: FakeFrame | null;
  frameTreeNodeId: number;
  origin: string;
  url: string;
}

export function fakeFrame(url: string, parent: FakeFrame | null = null, id = Math.floor(Math.random() * 1e6)): FakeFrame {
  let origin: string;
  try {
    const u = new URL(url);
    origin = u.protocol === 'app:' ? `app://${u.host}` : u.origin;
  } catch {
    origin = 'null';
  }
  return { parent, frameTreeNodeId: id, origin, url };
}

export interface FakeWindowParts {
  window: BrowserWindow;
  contents: WebContents & { send: Mock };
  mainFrame: FakeFrame;
}

export function fakeWindow(id = 7, url = 'app://pos/index.html'): FakeWindowParts {
  const mainFrame = fakeFrame(url, null, 1);
  const contents = { id, mainFrame, isDestroyed: () => false, send: vi.fn() };
  const window = { webContents: contents, isDestroyed: () => false };
  return { window: window as unknown as BrowserWindow, contents: contents as unknown as FakeWindowParts['contents'], mainFrame };
}

export function invokeEvent(sender: unknown, senderFrame: FakeFrame | null | undefined): IpcMainInvokeEvent {
  return { sender: sender as WebContents, senderFrame: (senderFrame ?? null) as WebFrameMain | null } as IpcMainInvokeEvent;
}

type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>;

/** ipcMain with handle / removeHandler; `call` invokes a registered handler as Electron would. */
export function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: vi.fn((channel: string, listener: Listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  return { ipc, handlers, call: (channel: string, event: unknown, ...args: unknown[]) => handlers.get(channel)!(event, ...args) };
}

/**
 * Runs sandboxed in the window's isolated world; bundled to dist-electron/preload.cjs because a
 * sandboxed preload cannot require our modules. It exposes exactly one thing: `window.pos`, with
 * one function per contract channel plus `on` for contract events. No generic invoke, no
 * ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract/channels';
import { buildPosApi } from '../../shared/contract/client';
import { createIpcTransport } from './transport';

contextBridge.exposeInMainWorld('pos', buildPosApi(CHANNEL_NAMES, createIpcTransport(ipcRenderer)));

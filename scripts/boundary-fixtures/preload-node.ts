// as: electron/preload/fixture.ts
import { readFileSync } from 'node:fs'; // ✗ the preload only bridges channels
import { contextBridge } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract';
export const all = [readFileSync, contextBridge, CHANNEL_NAMES];

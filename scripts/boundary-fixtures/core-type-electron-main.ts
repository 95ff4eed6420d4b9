// as: electron/core/fixture.ts
import type { BrowserWindow } from 'electron/main'; // ✗ type imports count too
export type W = BrowserWindow;

// as: electron/web/fixture.ts
import { createWindow } from '../main/window'; // ✗ web mode never depends on the Electron shell
import { ipcMain } from 'electron'; // ✗
export const all = [createWindow, ipcMain];

/**
 * Entry of the unlock page (renderer/unlock.html, a second Vite entry next to the app's index.html).
 * It imports nothing of the point of sale: only the app's stylesheet (through unlock.css), its own
 * few rules, and the shared/unlock rules. window.unlock comes from electron/preload/unlock-preload.ts.
 */
// unlock.css @imports ../styles.css: inlined at build time, so the page shares no module (and no
// chunk) with the app.
import './unlock.css';
import type { UnlockApi } from '../../shared/unlock/api';
import { startUnlockPage } from './page';

declare global {
  interface Window {
    /** Provided by the unlock window's preload only. */
    unlock?: UnlockApi;
  }
}

startUnlockPage(document, window.unlock);

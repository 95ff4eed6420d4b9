/**
 * Entry of the unlock page (renderer/unlock.html, a second Vite entry next to the app's index.html).
 * It imports nothing of the point of sale: only the app's stylesheet (through unlock.css), its own
 * few rules, the shared/unlock rules and its own catalogue (text.ts). window.unlock comes from
 * electron/preload/unlock-preload.ts, with the station's locale.
 */
// unlock.css @imports ../styles.css: inlined at build time, so the page shares no module (and no
// chunk) with the app.
import './unlock.css';
import type { UnlockApi } from '../../shared/unlock/api';
import { startUnlockPage } from './page';
import { loadUnlockText, unlockLanguage } from './text';

declare global {
  interface Window {
    /** Provided by the unlock window's preload only. */
    unlock?: UnlockApi;
  }
}

function savedLanguage(): string | null {
  try {
    return localStorage.getItem('pos.language');
  } catch {
    return null;
  }
}

const lang = unlockLanguage(window.unlock?.locale, savedLanguage(), navigator.language);
void loadUnlockText(document, lang).then((t) => startUnlockPage(document, window.unlock, { t }));

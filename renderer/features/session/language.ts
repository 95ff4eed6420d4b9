import { stationLanguage } from '../../../shared/contract/locale';
import { applyLanguage, BOOT_KEY, i18next, type Digits, type Language } from '../../i18n';

/** Whose language the screen speaks: the person's own choice, else the station's (settings locale). */
export function effectiveLanguage(
  user: { language: Language | null; digits: Digits | null } | null,
  stationLocale: string | null | undefined,
): { lang: Language; digits: Digits } {
  const station = stationLanguage(stationLocale);
  return { lang: user?.language ?? station.language, digits: user?.digits ?? station.digits };
}

// Set once someone signed in here: from then on the sign-in screen keeps the last person's language
// (BOOT_KEY, written by applyLanguage); before that, even the boot's own guess, it takes the station's.
const USED_KEY = `${BOOT_KEY}.used`;

/** Whether a person's language was used on this station (the sign-in screen then keeps it). */
export function hasLastUsed(): boolean {
  try {
    return localStorage.getItem(USED_KEY) !== null && localStorage.getItem(BOOT_KEY) !== null;
  } catch {
    return false;
  }
}

/** Notes that the language on screen is a signed-in person's. */
export function rememberForSignIn(): void {
  try {
    localStorage.setItem(USED_KEY, '1');
  } catch {
    /* storage unavailable: the sign-in screen takes the station's language */
  }
}

/**
 * Switches the whole screen, without a restart. When only the digits change the language event is
 * sent anyway, so every translated component re-renders its amounts and dates with the new digits.
 */
export async function switchLanguage(lang: Language, digits: Digits): Promise<void> {
  const before = `${i18next.language}|${document.documentElement.dataset.digits ?? ''}`;
  await applyLanguage(lang, digits);
  if (before !== `${lang}|${digits}` && i18next.language === lang) i18next.emit('languageChanged', lang);
}

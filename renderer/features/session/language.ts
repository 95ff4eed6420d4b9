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

/** Whether this station remembers the language last used here (the sign-in screen keeps it). */
export function hasLastUsed(): boolean {
  try {
    return localStorage.getItem(BOOT_KEY) !== null;
  } catch {
    return false;
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

import type { z } from 'zod';
import type { DigitsSchema, LanguageSchema } from './schemas';

// Types only: the renderer's first chunk takes this module (renderer/features/session/language.ts)
// without the contract's schemas. The records are complete by type, so a language added to the
// schema must be added here too.
type Language = z.infer<typeof LanguageSchema>;
type Digits = z.infer<typeof DigitsSchema>;
const LANGUAGE: Record<Language, true> = { en: true, ar: true };
const DIGITS: Record<Digits, true> = { latn: true, arab: true };
const isLanguage = (v: string | undefined): v is Language => v !== undefined && Object.hasOwn(LANGUAGE, v);
const isDigits = (v: string | undefined): v is Digits => v !== undefined && Object.hasOwn(DIGITS, v);

function parse(tag: string): Intl.Locale | null {
  try {
    return new Intl.Locale(tag);
  } catch {
    return null;
  }
}

/**
 * The station's default language and digits from its settings locale ("ar-KW" → ar; a
 * "-u-nu-arab" extension → Arabic-Indic digits); a language the screen does not speak → English.
 */
export function stationLanguage(tag: string | null | undefined): { language: Language; digits: Digits } {
  const l = parse(tag ?? '');
  const language = l?.language;
  const digits = l?.numberingSystem;
  return { language: isLanguage(language) ? language : 'en', digits: isDigits(digits) ? digits : 'latn' };
}

/**
 * The station locale after choosing `language` as its default (the set-up screen): unchanged when
 * it already speaks it (its region and digits kept), else the language's own tag ("ar", "en-US").
 */
export function stationLocaleFor(current: string | null | undefined, language: Language): string {
  if (stationLanguage(current).language === language && parse(current ?? '')?.language === language) return current!;
  return language === 'en' ? 'en-US' : language;
}

/** A fresh station's name in each language (English's is the settings default). */
const STATION_NAMES: Record<Language, string> = { en: 'Desk 1', ar: 'مكتب 1' };

/** A fresh station's name in its language and digits ("Desk 1", "مكتب ١"). */
export function defaultStationName(language: Language, digits: Digits = 'latn'): string {
  const name = STATION_NAMES[language];
  return digits === 'arab' ? name.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))) : name;
}

/** Whether `name` is still a fresh station's name in some language: set up, it follows the station's language. */
export function isDefaultStationName(name: string): boolean {
  return (Object.keys(STATION_NAMES) as Language[]).some((l) => name === defaultStationName(l, 'latn') || name === defaultStationName(l, 'arab'));
}

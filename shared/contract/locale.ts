import { DigitsSchema, LanguageSchema } from './schemas';

type Language = 'en' | 'ar';
type Digits = 'latn' | 'arab';

function parse(tag: string): Intl.Locale | null {
  try {
    return new Intl.Locale(tag);
  } catch {
    return null;
  }
}

/** A station locale means something to us: a well-formed tag in one of our languages, digits ours. */
export function isStationLocale(tag: string): boolean {
  const l = parse(tag);
  if (!l || !LanguageSchema.safeParse(l.language).success) return false;
  return l.numberingSystem === undefined || DigitsSchema.safeParse(l.numberingSystem).success;
}

/** The station's language and digits from its locale ("ar-KW-u-nu-arab" → ar, arab); English, Latin otherwise. */
export function stationLanguage(tag: string | null | undefined): { language: Language; digits: Digits } {
  const l = parse(tag ?? '');
  const language = LanguageSchema.safeParse(l?.language);
  const digits = DigitsSchema.safeParse(l?.numberingSystem);
  return { language: language.success ? language.data : 'en', digits: digits.success ? digits.data : 'latn' };
}

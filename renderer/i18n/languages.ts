/** The languages the screen speaks, and how each is written. One place to add a third. */
export const LANGUAGES = ['en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DIGITS = ['latn', 'arab'] as const;
/** Latin (0-9) or Arabic-Indic (٠-٩) digits, the user's choice whatever the language. */
export type Digits = (typeof DIGITS)[number];

const RTL: ReadonlySet<Language> = new Set(['ar']);

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function directionOf(lang: Language): 'ltr' | 'rtl' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

/** The language's own name, shown in the language picker whatever the current language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ar: 'العربية' };

/**
 * The Intl locale for numbers and dates: the language, the Gregorian calendar always (an Arabic
 * locale may default to another), and the chosen digits.
 */
export function intlLocale(lang: Language, digits: Digits): string {
  return `${lang === 'en' ? 'en-US' : lang}-u-ca-gregory-nu-${digits}`;
}

/** A station's stored locale ("en-US", "ar-KW") as one of our languages. */
export function languageOf(locale: string | null | undefined): Language {
  const base = (locale ?? '').split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(base) ? base : 'en';
}

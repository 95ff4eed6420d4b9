import type { FormatterModule, InitOptions } from 'i18next';
import { fmtValue } from '../lib/format';

/**
 * i18next's formatter, replaced by ours: every value interpolated into a sentence ({{n}},
 * {{count}}, {{amount}}, {{at, datetime}}) is written by renderer/lib/format's `fmtValue`, in the
 * user's language and digits, the same as every other number on screen.
 */
export const formatter: FormatterModule = {
  type: 'formatter',
  init: () => undefined,
  format: (value: unknown, format?: string) => fmtValue(value, format) as string,
  add: () => undefined,
  addCached: () => undefined,
};

/** The interpolation options every i18next start uses (the app and the unit tests). */
export const INTERPOLATION: InitOptions['interpolation'] = { escapeValue: false, alwaysFormat: true };

import i18next from 'i18next';
import { technicalText } from '../../shared/contract/messages';

/** The shape of shared/contract/messages.ts's CoreText, as it arrives (the key may be newer than this screen). */
export interface CoreTextLike {
  key: string;
  params?: Record<string, unknown>;
}

/**
 * A sentence the core wrote, in the screen's language: its key in the 'core' catalogue, its
 * params formatted by i18next's formatter (lib/format fmtValue: digits, amounts, times, the
 * bank's answer). Without a key the screen knows, `fallback` (the core's English) only on an
 * English screen; otherwise null, and the caller says what the code means.
 */
export function coreSentence(text: CoreTextLike | null | undefined, fallback?: string | null): string | null {
  if (text) {
    const key = `core:${text.key}`;
    if (i18next.exists(key)) return i18next.t(key, { ...(text.params ?? {}) });
  }
  return fallback && i18next.language === 'en' ? fallback : null;
}

/**
 * A technical detail (a socket, device or TLS error: "ECONNREFUSED 10.0.0.9:9100") in the screen's
 * language: its sentence from the catalogue when its shape is known (technicalText), the code and
 * address kept as a left-to-right param; else null, and the caller shows it as written (isolated).
 */
export function technicalSentence(detail: string | null | undefined): string | null {
  return coreSentence(technicalText(detail));
}

/** The detail as a sentence, or as written (left to right) when its shape is not known. */
export function technicalDetail(detail: string | null | undefined): string {
  return technicalSentence(detail) ?? (detail ? `\u2066${detail}\u2069` : '');
}

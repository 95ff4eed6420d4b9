import { stationLanguage } from '../../../shared/contract/locale';

/**
 * The printed receipt's words, in the languages a receipt prints in (the station's: settings
 * `locale`). Each is copied word for word from the screen's catalogue that says the same thing on
 * the screen's receipt: `printing:receipt.*` and `printing:paper.*`
 * (renderer/i18n/locales/<lang>/). The core cannot load the renderer's catalogues, so
 * scripts/receipt-words.test.ts fails when one side changes alone.
 */
export const RECEIPT_WORDS = {
  'printing:receipt.title': 'RECEIPT',
  'printing:receipt.date': 'Date',
  'printing:receipt.order': 'Order',
  'printing:receipt.reference': 'Reference',
  'printing:receipt.card': 'Card',
  'printing:receipt.cash': 'Cash',
  'printing:receipt.authCode': 'Auth code',
  'printing:receipt.customer': 'Customer',
  'printing:receipt.net': 'Net',
  'printing:receipt.tax': 'Tax',
  'printing:receipt.total': 'Total',
  'printing:receipt.tendered': 'Tendered',
  'printing:receipt.change': 'Change',
  'printing:receipt.thanks': 'Thank you',
  'printing:paper.tenders': 'Paid by',
  'printing:paper.gatewayRef': 'Gateway ref',
  'printing:paper.refunded': 'Refunded',
  'printing:paper.item': 'Item {{n}}',
  'printing:paper.testTitle': 'TEST PRINT',
  'printing:paper.testLine': 'This printer is set up for {{station}}.',
  'printing:paper.testWidth': 'Paper {{width}}: {{columns}} characters a line',
  'printing:paper.testImage': 'Paper {{width}}: printed as an image {{dots}} dots wide',
} as const;

export type ReceiptWord = keyof typeof RECEIPT_WORDS;

/** Arabic, printed as an image (raster): a code page cannot join Arabic letters (docs/printing.md). */
export const RECEIPT_WORDS_AR: Record<ReceiptWord, string> = {
  'printing:receipt.title': 'إيصال',
  'printing:receipt.date': 'التاريخ',
  'printing:receipt.order': 'الطلب',
  'printing:receipt.reference': 'المرجع',
  'printing:receipt.card': 'البطاقة',
  'printing:receipt.cash': 'نقدًا',
  'printing:receipt.authCode': 'رمز التفويض',
  'printing:receipt.customer': 'العميل',
  'printing:receipt.net': 'الصافي',
  'printing:receipt.tax': 'الضريبة',
  'printing:receipt.total': 'الإجمالي',
  'printing:receipt.tendered': 'المدفوع',
  'printing:receipt.change': 'الباقي',
  'printing:receipt.thanks': 'شكرًا لكم',
  'printing:paper.tenders': 'طريقة الدفع',
  'printing:paper.gatewayRef': 'مرجع البوابة',
  'printing:paper.refunded': 'المبلغ المسترد',
  'printing:paper.item': 'الصنف {{n}}',
  'printing:paper.testTitle': 'طباعة تجريبية',
  'printing:paper.testLine': 'هذه الطابعة مُعدّة لـ {{station}}.',
  'printing:paper.testWidth': 'ورق {{width}}: {{columns}} حرفًا في السطر',
  'printing:paper.testImage': 'ورق {{width}}: يُطبع صورةً بعرض {{dots}} نقطة',
};

/** The languages a receipt prints in. */
export type ReceiptLanguage = 'en' | 'ar';

export const RECEIPT_LANGUAGES: Record<ReceiptLanguage, Record<ReceiptWord, string>> = { en: RECEIPT_WORDS, ar: RECEIPT_WORDS_AR };

/** The station's locale ("ar-KW", "en-US") as a receipt language (the screen's rule: English for any other). */
export function receiptLanguage(locale: string): ReceiptLanguage {
  return stationLanguage(locale).language;
}

/** The word in `lang` (English by default), with {{placeholders}} filled in. */
export function word(key: ReceiptWord, values: Record<string, string | number> = {}, lang: ReceiptLanguage = 'en'): string {
  return RECEIPT_LANGUAGES[lang][key].replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

import { stationLanguage } from '../../../shared/contract/locale';

/**
 * The printed receipt's words, in the languages a receipt prints in (the station's: settings
 * `locale`). Each is copied word for word from the screen's catalogue that says the same thing on
 * the screen's receipt: `transactions:receipt.*` and `printing:paper.*`
 * (renderer/i18n/locales/<lang>/). The core cannot load the renderer's catalogues, so
 * scripts/receipt-words.test.ts fails when one side changes alone.
 */
export const RECEIPT_WORDS = {
  'transactions:receipt.title': 'RECEIPT',
  'transactions:receipt.date': 'Date',
  'transactions:receipt.order': 'Order',
  'transactions:receipt.reference': 'Reference',
  'transactions:receipt.card': 'Card',
  'transactions:receipt.cash': 'Cash',
  'transactions:receipt.authCode': 'Auth code',
  'transactions:receipt.customer': 'Customer',
  'transactions:receipt.net': 'Net',
  'transactions:receipt.tax': 'Tax',
  'transactions:receipt.total': 'Total',
  'transactions:receipt.tendered': 'Tendered',
  'transactions:receipt.change': 'Change',
  'transactions:receipt.thanks': 'Thank you',
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
  'transactions:receipt.title': 'إيصال',
  'transactions:receipt.date': 'التاريخ',
  'transactions:receipt.order': 'الطلب',
  'transactions:receipt.reference': 'المرجع',
  'transactions:receipt.card': 'البطاقة',
  'transactions:receipt.cash': 'نقدًا',
  'transactions:receipt.authCode': 'رمز التفويض',
  'transactions:receipt.customer': 'العميل',
  'transactions:receipt.net': 'الصافي',
  'transactions:receipt.tax': 'الضريبة',
  'transactions:receipt.total': 'الإجمالي',
  'transactions:receipt.tendered': 'المدفوع',
  'transactions:receipt.change': 'الباقي',
  'transactions:receipt.thanks': 'شكرًا لكم',
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

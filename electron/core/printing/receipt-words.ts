/**
 * The printed receipt's words. A thermal printer prints English (docs/printing.md: its code page
 * cannot shape Arabic), so the core keeps the English words only, each copied word for word from
 * the screen's catalogue that says the same thing on the screen's receipt:
 * `transactions:receipt.*` and `printing:paper.*` (renderer/i18n/locales/en/).
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
} as const;

export type ReceiptWord = keyof typeof RECEIPT_WORDS;

/** The English word, with {{placeholders}} filled in. */
export function word(key: ReceiptWord, values: Record<string, string | number> = {}): string {
  return RECEIPT_WORDS[key].replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

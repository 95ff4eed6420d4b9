/**
 * The hosted card page's words in the languages APS offers (`language=en|ar` on the TOKENIZATION
 * request). Arabic is written right to left: the page sets dir="rtl". Card numbers, expiry and CVV
 * inputs stay left to right (dir="ltr") in both, as printed on the card.
 */
export type PageLanguage = 'en' | 'ar';

export function pageLanguage(v: string | undefined): PageLanguage {
  return v === 'ar' ? 'ar' : 'en';
}

const EN = {
  title: 'Card details — SANDBOX',
  banner: 'SANDBOX — test cards only',
  formLabel: 'Card details',
  cardNumber: 'Card number',
  expiry: 'Expiry (MM/YY)',
  cvv: 'Security code (CVV)',
  holder: 'Name on card',
  holderPlaceholder: 'As printed on the card',
  remember: 'Remember this card',
  continue: 'Continue',
  testCards: 'Test cards (any future expiry)',
  number: 'Number',
  result: 'Result',
  returningTitle: 'Returning to the merchant',
  cardSaved: 'Card saved',
  cardNotSaved: 'Card not saved',
  returning: 'Returning to the merchant…',
  errorTitle: 'Payment page error',
  errorHeading: 'The card form cannot be shown',
  formInvalid: 'This card form is not valid. Start again from the merchant’s page.',
  formUsed: 'This card form was already submitted. Start again from the merchant’s page.',
  formExpired: 'This card form has expired. Start again from the merchant’s page.',
  expiryFormat: 'Enter the expiry date as MM/YY.',
  expired: 'This card has expired.',
  cvv4: 'Enter the 4-digit code.',
  cvv3: 'Enter the 3-digit code.',
  cvvAny: 'Enter the security code.',
  holderFormat: 'Use letters and spaces only (50 at most).',
  panEmpty: 'Enter the card number (digits only).',
  panInvalid: 'This card number is not valid.',
  panBrand: 'This card type is not accepted.',
  panLength: 'This card number has the wrong length.',
};
type Words = typeof EN;

const AR: Words = {
  title: 'بيانات البطاقة — بيئة تجريبية',
  banner: 'بيئة تجريبية — بطاقات الاختبار فقط',
  formLabel: 'بيانات البطاقة',
  cardNumber: 'رقم البطاقة',
  expiry: 'تاريخ الانتهاء (شهر/سنة)',
  cvv: 'رمز الأمان (CVV)',
  holder: 'الاسم على البطاقة',
  holderPlaceholder: 'كما هو مطبوع على البطاقة',
  remember: 'احفظ هذه البطاقة',
  continue: 'متابعة',
  testCards: 'بطاقات الاختبار (أي تاريخ انتهاء مستقبلي)',
  number: 'الرقم',
  result: 'النتيجة',
  returningTitle: 'العودة إلى التاجر',
  cardSaved: 'تم حفظ البطاقة',
  cardNotSaved: 'لم تُحفظ البطاقة',
  returning: 'جارٍ العودة إلى التاجر…',
  errorTitle: 'خطأ في صفحة الدفع',
  errorHeading: 'تعذّر عرض نموذج البطاقة',
  formInvalid: 'نموذج البطاقة هذا غير صالح. ابدأ من جديد من صفحة التاجر.',
  formUsed: 'تم إرسال نموذج البطاقة هذا من قبل. ابدأ من جديد من صفحة التاجر.',
  formExpired: 'انتهت صلاحية نموذج البطاقة. ابدأ من جديد من صفحة التاجر.',
  expiryFormat: 'أدخل تاريخ الانتهاء بالشكل شهر/سنة (MM/YY).',
  expired: 'انتهت صلاحية هذه البطاقة.',
  cvv4: 'أدخل الرمز المكوّن من 4 أرقام.',
  cvv3: 'أدخل الرمز المكوّن من 3 أرقام.',
  cvvAny: 'أدخل رمز الأمان.',
  holderFormat: 'استخدم الحروف والمسافات فقط (50 حرفًا كحد أقصى).',
  panEmpty: 'أدخل رقم البطاقة (أرقام فقط).',
  panInvalid: 'رقم البطاقة هذا غير صالح.',
  panBrand: 'نوع البطاقة هذا غير مقبول.',
  panLength: 'طول رقم البطاقة غير صحيح.',
};

export const HOSTED_TEXT: Record<PageLanguage, Words> = { en: EN, ar: AR };

/** checkPan's English sentence → the page's language. */
export function panError(lang: PageLanguage, english: string): string {
  const key = (Object.keys(EN) as (keyof Words)[]).find((k) => k.startsWith('pan') && EN[k] === english);
  return key ? HOSTED_TEXT[lang][key] : english;
}

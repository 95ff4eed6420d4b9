import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf, Settings } from '../../../shared/contract';
import { useTestLanguage } from '../../i18n/test-i18n';
import { Receipt } from './Receipt';

type Detail = OutputOf<'payments.get'>;

const detail = {
  payment: { id: 'p1', currency: 'KWD', method: 'card', brand: 'VISA', last4: '0001', reference: 'D1-7-P1', authorizationCode: '123456', createdAt: '2026-03-10T10:00:00.000Z' },
  order: { reference: 'D1-7', customerName: 'فاطمة العلي', net: 12_500, tax: 0, total: 12_500, lines: [{ description: 'طاولة', quantity: 1, unitPrice: 12_500, taxRateBp: 0 }] },
  operations: [{ id: 'o1', type: 'purchase', state: 'succeeded', amount: 12_500, reference: 'D1-7-P1', createdAt: '2026-03-10T10:00:00.000Z' }],
  cash: null,
} as unknown as Detail;

const station = (locale: string) => ({ merchantName: 'Shop', merchantAddress: 'Kuwait City', stationName: 'Desk 1', locale }) as Settings;

describe('the receipt prints in the station\'s language, whatever the clerk reads (issue #17)', () => {
  // The clerk works in English.
  beforeAll(() => useTestLanguage('en'));
  afterAll(() => useTestLanguage('en'));

  it('an English station: English receipt, as before', () => {
    const html = renderToStaticMarkup(<Receipt detail={detail} settings={station('en-US')} operationId={null} />);
    expect(html).toContain('lang="en"');
    expect(html).toContain('dir="ltr"');
    expect(html).toContain('>SALE<');
    expect(html).toContain('Net (before tax)');
    expect(html).toContain('Thank you');
  });

  it('an Arabic station: Arabic receipt, right to left, names and references isolated', () => {
    const html = renderToStaticMarkup(<Receipt detail={detail} settings={station('ar-KW')} operationId={null} />);
    expect(html).toContain('lang="ar"');
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('>بيع<');
    expect(html).toContain('الصافي (قبل الضريبة)');
    expect(html).toContain('<bdi>فاطمة العلي</bdi>');
    expect(html).toContain('<bdi>D1-7</bdi>');
    expect(html).toContain('شكرًا لكم');
    expect(html).not.toContain('Thank you');
  });

  it('amounts and dates follow the station too: an English station\'s receipt printed by a clerk reading Arabic with Arabic-Indic digits', async () => {
    await useTestLanguage('ar', 'arab');
    const english = renderToStaticMarkup(<Receipt detail={detail} settings={station('en-US')} operationId={null} />);
    expect(english).toContain('KWD\u00a012.500');
    expect(english).not.toMatch(/[\u0660-\u0669]/);
    expect(english).toContain('Mar 10, 2026');
    const arabic = renderToStaticMarkup(<Receipt detail={detail} settings={station('ar-KW')} operationId={null} />);
    // The Arabic station's digits (Latin: its locale has no -u-nu-arab), Arabic's amount layout.
    expect(arabic).toContain('12.500\u00a0KWD');
    expect(arabic).not.toMatch(/[\u0660-\u0669]/);
    await useTestLanguage('en');
  });
});

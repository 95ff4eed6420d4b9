import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { setI18n } from 'react-i18next';
import { useTestLanguage } from '../i18n/test-i18n';
import { GatewayBand } from './TopBar';

// Components read the catalogues through react-i18next: hand it the test's i18next.
setI18n(i18next);
beforeEach(() => useTestLanguage('en'));

/** Always visible where money goes: one band per environment, each unmistakable. */
function bandFor(environment: 'sandbox' | 'test' | 'production', account: string): string {
  return renderToStaticMarkup(<GatewayBand gateway={{ name: 'x', sandbox: environment === 'sandbox', environment, account, confirmation: true }} />);
}

describe('the gateway band', () => {
  it('SANDBOX, APS TEST and LIVE, each with its own label and class', () => {
    const sandbox = bandFor('sandbox', 'sandbox:SANDBOXMID');
    expect(sandbox).toContain('<strong>SANDBOX</strong>');
    expect(sandbox).toContain('no real money');
    const test = bandFor('test', 'test:SHOPTEST7');
    expect(test).toContain('<strong>APS TEST</strong>');
    expect(test).toContain('gateway-band-test');
    expect(test).toContain('SHOPTEST7');
    expect(test).not.toContain('SANDBOX');
    const live = bandFor('production', 'production:SHOPLIVE1');
    expect(live).toContain('<strong>LIVE</strong>');
    expect(live).toContain('gateway-band-live');
    expect(live).toContain('real cards, real money');
    expect(live).toContain('aria-label="Live: APS production"');
  });

  it('speaks Arabic, with the account isolated from the Arabic sentence', async () => {
    await useTestLanguage('ar');
    const test = bandFor('test', 'test:SHOPTEST7');
    expect(test).toContain('<strong>بيئة اختبار APS</strong>');
    expect(test).toContain('<bdi>(SHOPTEST7)</bdi>');
    expect(test).toContain('لا تُنقل أموال حقيقية');
    const sandbox = bandFor('sandbox', 'sandbox:SANDBOXMID');
    expect(sandbox).toContain('<strong>بيئة تجريبية</strong>');
    expect(bandFor('production', 'production:SHOPLIVE1')).toContain('<strong>مباشر</strong>');
  });
});

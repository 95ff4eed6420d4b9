import { describe, expect, it } from 'vitest';
import { readText } from '../../shared/contract/core-text-schema';
import { coreText, storeText } from '../../shared/contract/messages';
import { operationText } from '../../shared/contract/messages';
import { useTestLanguage } from '../i18n/test-i18n';
import { coreSentence, technicalDetail } from './core-text';

/**
 * Issue #17: no English left inside an Arabic screen's sentences: technical details (socket, device
 * and TLS errors in the printer, gateway and shop-server status) and the bulk preview's row checks
 * come from the catalogue, the code and address kept left to right.
 */
const ENGLISH = /\b(connect|refused|fetch|failed|timed?|answer|closed|certificate|self|signed|device|paper|No|Amount|customer|card|ending)\b/i;

describe('technical details in the reader\'s language', () => {
  it('Arabic: the printer\'s, the shop server\'s and the gateway\'s socket and TLS errors are Arabic sentences, the code isolated', async () => {
    await useTestLanguage('ar', 'arab');
    const printer = technicalDetail('ECONNREFUSED 10.0.0.9:9100');
    expect(printer).toBe('رُفض الاتصال: \u2066ECONNREFUSED 10.0.0.9:9100\u2069');
    for (const detail of [
      'connect ECONNREFUSED 127.0.0.1:5432',
      'getaddrinfo ENOTFOUND shop-db.local',
      'fetch failed: UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error (attempted address: aps.example:443, timeout: 10000ms)',
      'self-signed certificate',
      'no answer from 10.0.0.9:9100 in 5000 ms',
      'connection closed by 10.0.0.9:9100',
      'EACCES /dev/usb/lp0',
    ]) {
      const said = technicalDetail(detail);
      // Outside the isolated code and address, no English word is left.
      expect(said.replace(/\u2066[^\u2069]*\u2069/g, ''), detail).not.toMatch(ENGLISH);
      expect(said, detail).toMatch(/[\u0600-\u06FF]/);
    }
    // Milliseconds in the reader's digits.
    expect(technicalDetail('no answer from 10.0.0.9:9100 in 5000 ms')).toContain('٥');
    // A shape we do not know stays as written, isolated left to right.
    expect(technicalDetail('password authentication failed for user "pos"')).toBe('\u2066password authentication failed for user "pos"\u2069');
  });

  it('English: the same sentences in English', async () => {
    await useTestLanguage('en', 'latn');
    expect(technicalDetail('ECONNREFUSED 10.0.0.9:9100')).toBe('Connection refused: ECONNREFUSED 10.0.0.9:9100');
    expect(technicalDetail('the printer reports no paper')).toBe('The printer reports no paper');
  });

  it('Arabic: a queued operation\'s note keeps its socket error as an Arabic sentence inside the Arabic note', async () => {
    await useTestLanguage('ar', 'latn');
    const note = operationText({ message: 'Not sent: the gateway could not be reached (fetch failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4100). Queued.', responseCode: null, type: 'capture' });
    const said = coreSentence(readText(storeText(note)))!;
    expect(said).toContain('رُفض الاتصال');
    expect(said.replace(/\u2066[^\u2069]*\u2069/g, '')).not.toMatch(ENGLISH);
  });
});

describe('the bulk preview\'s row checks in the reader\'s language', () => {
  it('Arabic: every check and the bill run\'s card note say no English, names and last 4 as given', async () => {
    await useTestLanguage('ar', 'arab');
    const checks = [
      coreText('bulk.checkNoReference'), coreText('bulk.checkNoPayment'), coreText('bulk.checkCash'), coreText('bulk.checkNothingRemains'),
      coreText('bulk.checkAlreadySent', { run: 'blk_1' }), coreText('bulk.checkNotAmount', { input: 'abc' }), coreText('bulk.checkTooManyDecimals', { currency: 'KWD', exponent: 3 }),
      coreText('bulk.checkNoCustomer'), coreText('bulk.checkSharedEmail', { n: 2 }), coreText('bulk.checkNoAmount'),
      coreText('bulk.checkSeveralCards', { name: 'سارة', n: 3 }), coreText('bulk.checkCardExpired', { last4: '0001' }), coreText('bulk.checkOtherAccount', { last4: '0001' }),
      coreText('bulk.chargeCard', { name: 'سارة', last4: '0001' }),
    ];
    for (const c of checks) {
      const said = coreSentence(c);
      expect(said, c.key).toMatch(/[\u0600-\u06FF]/);
      expect(said, c.key).not.toMatch(ENGLISH);
    }
    expect(coreSentence(coreText('bulk.checkTooManyDecimals', { currency: 'KWD', exponent: 3 }))).toContain('٣');
    expect(coreSentence(coreText('bulk.chargeCard', { name: 'سارة', last4: '0001' }))).toContain('0001');
  });
});

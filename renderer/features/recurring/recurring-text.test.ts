import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestLanguage } from '../../i18n/test-i18n';
import { cadence, periodBadge, periodResult, scheduleBadge, type Period } from './recurring-text';

const day = (iso: string) => iso.slice(0, 10);
const s = (over: Partial<Parameters<typeof cadence>[0]>) => ({ frequency: 'monthly', count: null, endAt: null, totalPeriods: null, ...over }) as Parameters<typeof cadence>[0];

describe('recurring words (English, as before)', () => {
  beforeAll(() => useTestLanguage('en'));

  it('says how often, how many, until when', () => {
    expect(cadence(s({ count: 1 }), day)).toBe('Monthly · 1 charge');
    expect(cadence(s({ count: 12 }), day)).toBe('Monthly · 12 charges');
    expect(cadence(s({ frequency: 'weekly', endAt: '2026-06-30T10:00:00Z' }), day)).toBe('Weekly · until 2026-06-30');
    expect(cadence(s({ frequency: 'daily' }), day)).toBe('Daily · until cancelled');
  });

  it('badges and results keep their glyph, class and words', () => {
    expect(periodBadge('needs_attention')).toEqual({ label: 'Needs attention', cls: 'badge-danger', glyph: '✕' });
    expect(periodBadge('missed', '2 missed').label).toBe('2 missed');
    expect(scheduleBadge('paused')).toEqual({ label: 'Paused', cls: 'badge-queued', glyph: '⏸' });
    expect(periodResult({ state: 'charged', reason: null } as Period)).toBe('Approved');
    expect(periodResult({ state: 'due', reason: null } as Period)).toBe('Charged automatically');
  });
});

describe('recurring words in Arabic (issue #17): all six plural forms', () => {
  beforeAll(() => useTestLanguage('ar'));
  afterAll(() => useTestLanguage('en'));

  it.each([
    [0, 'شهريًا · لا خصومات'],
    [1, 'شهريًا · خصم واحد'],
    [2, 'شهريًا · خصمان'],
    [3, 'شهريًا · 3 خصومات'],
    [11, 'شهريًا · 11 خصمًا'],
    [100, 'شهريًا · 100 خصم'],
  ])('%i charges', (count, text) => {
    expect(cadence(s({ count }), day)).toBe(text);
  });

  it('Arabic-Indic digits when chosen', async () => {
    await useTestLanguage('ar', 'arab');
    expect(cadence(s({ count: 12 }), day)).toBe('شهريًا · ١٢ خصمًا');
    expect(scheduleBadge('active').label).toBe('نشط');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useTestLanguage } from '../../i18n/test-i18n';
import { confirmationStep, countdown, isFinal, timeToAnswer } from './steps';

beforeAll(() => useTestLanguage('en'));

describe('confirmation steps', () => {
  it('follows the customer and stops where it stopped', () => {
    expect(confirmationStep({ state: 'processing', processState: 'waiting_click', chargeState: 'none', charge: null })).toEqual({ index: 1, failed: false });
    expect(confirmationStep({ state: 'processing', processState: 'waiting_agreement', chargeState: 'none', charge: null })).toEqual({ index: 2, failed: false });
    expect(confirmationStep({ state: 'refused', processState: 'finished', chargeState: 'none', charge: null })).toEqual({ index: 2, failed: true });
    expect(confirmationStep({ state: 'expired', processState: 'failed', chargeState: 'none', charge: null })).toEqual({ index: 1, failed: true });
    expect(confirmationStep({ state: 'failed', processState: 'failed', chargeState: 'none', charge: null })).toEqual({ index: 0, failed: true });
    expect(confirmationStep({ state: 'confirmed', processState: 'finished', chargeState: 'charging', charge: null })).toEqual({ index: 3, failed: false });
    expect(confirmationStep({ state: 'confirmed', processState: 'finished', chargeState: 'done', charge: null })).toEqual({ index: 3, failed: true });
  });
  it('is final once nothing more will change', () => {
    expect(isFinal({ state: 'processing', chargeState: 'none' })).toBe(false);
    expect(isFinal({ state: 'confirmed', chargeState: 'charging' })).toBe(false);
    expect(isFinal({ state: 'confirmed', chargeState: 'done' })).toBe(true);
    expect(isFinal({ state: 'refused', chargeState: 'none' })).toBe(true);
  });

  it('says the time to answer in words, and counts down as a clock', () => {
    expect(timeToAnswer(600)).toBe('10 minutes');
    expect(timeToAnswer(60)).toBe('1 minute');
    expect(timeToAnswer(90)).toBe('1 minute 30 seconds');
    expect(timeToAnswer(45)).toBe('45 seconds');
    expect(countdown(600)).toBe('10:00');
    expect(countdown(65)).toBe('1:05');
    expect(countdown(-3)).toBe('0:00');
  });

  it('says it in Arabic, with Arabic plurals and the chosen digits', async () => {
    await useTestLanguage('ar', 'latn');
    expect(timeToAnswer(600)).toBe('10 دقائق');
    expect(timeToAnswer(60)).toBe('دقيقة واحدة');
    expect(timeToAnswer(120)).toBe('دقيقتان');
    expect(timeToAnswer(90)).toBe('دقيقة واحدة و30 ثانية');
    await useTestLanguage('ar', 'arab');
    expect(timeToAnswer(600)).toBe('١٠ دقائق');
    expect(countdown(65)).toBe('١:٠٥');
    await useTestLanguage('en');
  });
});

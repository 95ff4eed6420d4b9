import { describe, expect, it } from 'vitest';
import { confirmationStep, isFinal } from './steps';

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
});

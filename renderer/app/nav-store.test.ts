import { beforeEach, describe, expect, it } from 'vitest';
import { loadScreenCode, mayOpen, registerScreenCode, SCREEN_MIN_ROLE, useNav } from './nav-store';

beforeEach(() => {
  useNav.setState({ screen: 'order', paymentId: null, customerId: null, recurringId: null, userId: null });
});

describe('who lands where after signing in', () => {
  it('another person lands on New order, with nothing of the previous person open', () => {
    expect(useNav.getState().signedIn('admin', 'admin')).toBe(false); // the first sign-in
    useNav.getState().go('settings');
    useNav.getState().openCustomer('cust-1');
    expect(useNav.getState().signedIn('clerk', 'clerk')).toBe(true);
    expect(useNav.getState()).toMatchObject({ screen: 'order', customerId: null, paymentId: null, recurringId: null, userId: 'clerk' });
  });

  it('the same person keeps their screen, unless their role may no longer see it', () => {
    useNav.getState().signedIn('sam', 'supervisor');
    useNav.getState().go('audit');
    expect(useNav.getState().signedIn('sam', 'supervisor')).toBe(false);
    expect(useNav.getState().screen).toBe('audit');
    useNav.getState().signedIn('sam', 'clerk');
    expect(useNav.getState().screen).toBe('order');
  });

  it('one rule for which role sees which screen', () => {
    expect(SCREEN_MIN_ROLE.settings).toBe('admin');
    expect(mayOpen('clerk', 'settings')).toBe(false);
    expect(mayOpen('supervisor', 'audit')).toBe(true);
    expect(mayOpen('clerk', 'audit')).toBe(false);
    expect(mayOpen('clerk', 'customers')).toBe(true);
  });
});

describe("a screen's code is fetched as it is asked for", () => {
  it('go, openPayment, openCustomer and openRecurring start the screen code; a failed fetch is not thrown', async () => {
    const asked: string[] = [];
    for (const s of ['audit', 'transactions', 'customers', 'recurring'] as const) {
      registerScreenCode(s, () => {
        asked.push(s);
        return s === 'audit' ? Promise.reject(new Error('offline')) : Promise.resolve();
      });
    }
    useNav.getState().go('audit');
    useNav.getState().openPayment('pay_1');
    useNav.getState().openCustomer(null);
    useNav.getState().openRecurring(null);
    expect(asked).toEqual(['audit', 'transactions', 'customers', 'recurring']);
    await expect(loadScreenCode('audit')).resolves.toBeUndefined();
    await expect(loadScreenCode('order')).resolves.toBeUndefined(); // in the entry: nothing to fetch
  });
});

import i18next from 'i18next';
import { useEffect } from 'react';
import { create } from 'zustand';
import type { LinkViewShape } from '../../../shared/contract';
import { call } from '../../lib/api';

export type LinkNotify = 'EMAIL' | 'SMS' | 'EMAIL_SMS';

interface LinkState {
  /** The form of "Send a payment link" (prefilled from the customer). */
  email: string;
  phone: string;
  notify: LinkNotify;
  /** Empty = the station's default expiry. */
  expiryMinutes: string;
  /** The link being followed on the order screen, until a new order. */
  link: LinkViewShape | null;
  set: (patch: Partial<Pick<LinkState, 'email' | 'phone' | 'notify' | 'expiryMinutes'>>) => void;
  setLink: (link: LinkViewShape | null) => void;
  /** Sends the link for an order just recorded (order-store's submit calls this for method 'link'). */
  send: (orderId: string) => Promise<void>;
}

function blank() {
  return { email: '', phone: '', notify: 'EMAIL' as LinkNotify, expiryMinutes: '', link: null };
}

export const useLinks = create<LinkState>((set, get) => ({
  ...blank(),
  set: (patch) => set(patch),
  setLink: (link) => set({ link }),
  send: async (orderId) => {
    const s = get();
    const minutes = s.expiryMinutes.trim() ? Number(s.expiryMinutes) : undefined;
    const link = await call('links.send', {
      orderId,
      email: s.email.trim(),
      notify: s.notify,
      ...(s.phone.trim() ? { phone: s.phone.trim() } : {}),
      ...(minutes !== undefined && Number.isFinite(minutes) ? { expiresInMinutes: Math.round(minutes) } : {}),
    });
    set({ link });
  },
}));

/** Form checks before anything is recorded; keys are the order form's error keys. */
export function linkFormErrors(): Record<string, string> {
  const s = useLinks.getState();
  const errors: Record<string, string> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.email.trim())) errors['link.email'] = i18next.t('links:errors.email');
  if (s.notify !== 'EMAIL' && !/^\+?[0-9]{6,19}$/.test(s.phone.trim())) errors['link.phone'] = i18next.t('links:errors.phone');
  return errors;
}

/**
 * A new order (reset, F2) drops the link being followed (it stays in the order's history). Takes
 * the order's "recorded order" as an argument so this store never imports the order store.
 */
export function useDropLinkWhenOrderResets(createdOrderId: string | null): void {
  useEffect(() => {
    if (createdOrderId === null && useLinks.getState().link) useLinks.setState(blank());
  }, [createdOrderId]);
}

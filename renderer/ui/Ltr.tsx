import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Text that is always written left to right (a phone number, an email, a card's last 4, a
 * reference), isolated from the sentence around it. `<bdi>` alone takes the surrounding
 * direction when the text has no letter, so "+965 2222 3333" would read "3333 2222 965+" in
 * Arabic: the direction is given (docs/rtl.md).
 */
export function Ltr({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <bdi dir="ltr" className={className}>
      {children}
    </bdi>
  );
}

/** A customer's phone and email, each isolated left to right; `empty` when there is neither. */
export function ContactLine({ phone, email, empty }: { phone: string | null | undefined; email: string | null | undefined; empty: ReactNode }) {
  const { t } = useTranslation('common');
  if (!phone && !email) return <>{empty}</>;
  return (
    <>
      {phone ? <Ltr className="contact-phone">{phone}</Ltr> : null}
      {phone && email ? t('separator') : null}
      {email ? <Ltr className="contact-email">{email}</Ltr> : null}
    </>
  );
}

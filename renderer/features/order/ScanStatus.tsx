import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNav, mayOpen } from '../../app/nav-store';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useCatalogNav } from '../catalog/catalog-store';
import { useScanner } from '../catalog/use-scanner';
import { BarcodeLookahead, type Settled } from '../catalog/barcode-lookahead';
import { useSession } from '../session/session-store';
import { useSettings } from '../settings/settings-store';
import { useOrder } from './order-store';
import type { OutputOf } from '../../../shared/contract';

type Product = OutputOf<'catalog.byBarcode'>;

type Said =
  | { kind: 'added'; name: string; quantity: string; line: number }
  | { kind: 'unknown'; barcode: string }
  | { kind: 'otherCurrency'; name: string; currency: string }
  | { kind: 'failed'; barcode: string; message: string };

/**
 * The scanner on the order screen: a scan anywhere adds the product (or one more of it) and says
 * so; an unknown barcode is said plainly, with "Add product" for admins.
 */
export function ScanStatus() {
  const scanner = useSettings((s) => s.settings?.scanner);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const { t } = useTranslation('order');
  const [said, setSaid] = useState<Said | null>(null);

  const [lookahead] = useState(() => new BarcodeLookahead((code: string) => call('catalog.byBarcode', { barcode: code })));

  const show = (barcode: string, answer: Settled<Product | null>, putBack: () => void) => {
    // The scanned keys come out of the field first: a line's own field holds its product's name again.
    putBack();
    if (!answer.ok) return setSaid({ kind: 'failed', barcode, message: describeError(answer.error) });
    const p = answer.value;
    if (!p) return setSaid({ kind: 'unknown', barcode });
    const { currency, addProduct } = useOrder.getState();
    if (p.currency !== currency) return setSaid({ kind: 'otherCurrency', name: p.name, currency: p.currency });
    const line = addProduct(p);
    setSaid({ kind: 'added', name: p.name, quantity: useOrder.getState().lines[line]?.quantity ?? '1', line: line + 1 });
  };

  useScanner(
    scanner,
    (barcode, putBack) => {
      // Looked up while the scanner typed it, the line goes on in this key's own render.
      const answer = lookahead.take(barcode);
      if ('settled' in answer) show(barcode, answer.settled, putBack);
      else answer.promise.then((value) => show(barcode, { ok: true, value }, putBack), (error: unknown) => show(barcode, { ok: false, error }, putBack));
    },
    (soFar) => lookahead.burst(soFar),
  );

  const addProduct = (barcode: string) => {
    useCatalogNav.getState().setNewBarcode(barcode);
    useNav.getState().go('catalog');
  };

  if (!said) return null;
  switch (said.kind) {
    case 'added':
      return (
        <div className="scan-status" role="status" data-testid="scan-status">
          {t('scan.added', { name: said.name, quantity: said.quantity, line: said.line })}
        </div>
      );
    case 'otherCurrency':
      return <Alert tone="warning">{t('scan.otherCurrency', { name: said.name, currency: said.currency })}</Alert>;
    case 'failed':
      return <Alert tone="danger" title={t('scan.failed', { barcode: said.barcode })}>{said.message}</Alert>;
    case 'unknown':
      return (
        <Alert tone="warning" title={t('scan.unknown', { barcode: said.barcode })}>
          {mayOpen(role, 'catalog') ? (
            <Button size="sm" onClick={() => addProduct(said.barcode)}>
              {t('scan.addProduct')}
            </Button>
          ) : (
            t('scan.askAdmin')
          )}
        </Alert>
      );
  }
}

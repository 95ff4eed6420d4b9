import { lazy, Suspense, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/Alert';

// Recurring charges are the one screen that needs the Temporal polyfill (shared/domain/recurrence.ts,
// about 40 KB gzip with jsbi): loaded when first shown, so it is not part of the initial
// JavaScript every desk downloads (docs/performance.md, renderer).
const Screen = lazy(() => import('./RecurringScreen').then((m) => ({ default: m.RecurringScreen })));

export function RecurringScreen(props: ComponentProps<typeof Screen>) {
  const { t } = useTranslation('common');
  return (
    <Suspense fallback={<Spinner label={t('actions.loading')} />}>
      <Screen {...props} />
    </Suspense>
  );
}

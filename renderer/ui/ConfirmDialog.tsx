import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';

interface ConfirmProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal <dialog>: Enter confirms (focus starts on Cancel for destructive actions), Esc cancels. */
export function ConfirmDialog({ title, children, confirmLabel, tone = 'primary', busy, onConfirm, onCancel }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const okRef = useRef<HTMLButtonElement>(null);
  const { t } = useTranslation('common');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    (tone === 'danger' ? cancelRef : okRef).current?.focus();
  }, [tone]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title" className="dialog-title">
        {title}
      </h2>
      {children ? <div className="dialog-body">{children}</div> : null}
      <div className="dialog-actions">
        <Button ref={cancelRef} onClick={onCancel} shortcut="Esc">
          {t('actions.cancel')}
        </Button>
        <Button ref={okRef} variant={tone} onClick={onConfirm} busy={busy}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}

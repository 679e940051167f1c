// A modal built on <dialog>: the browser traps focus, Esc closes it, focus returns afterwards.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './Icon';

/** What every dialog gets from the dialog table (components/shell/dialogs.ts). */
export interface DialogProps {
  onClose(): void;
}

export interface ModalProps {
  title: string;
  description?: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  footer?: ReactNode;
}

export function Modal({ title, description, onClose, children, wide, footer }: ModalProps) {
  const { t } = useTranslation('common');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    // Browsers move focus into a modal dialog; make sure of it (and pick the first field).
    if (!dialog.contains(document.activeElement)) {
      const first = dialog.querySelector<HTMLElement>('[autofocus], .modal__body input:not([type=hidden]), .modal__body textarea, .modal__body select, .modal__body button');
      (first ?? dialog.querySelector<HTMLElement>('button'))?.focus();
    }
    const onCancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      before?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal--wide' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
      onMouseDown={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      <div className="modal__frame">
        <header className="modal__header">
          <div>
            <h2 id={titleId}>{title}</h2>
            {description && (
              <p id={descId} className="modal__description">
                {description}
              </p>
            )}
          </div>
          <button type="button" className="icon-btn" aria-label={t('modal.close')} onClick={onClose}>
            <Icon name="close" size={18} />
          </button>
        </header>
        <div className="modal__body">{children}</div>
        {footer && <footer className="modal__footer">{footer}</footer>}
      </div>
    </dialog>
  );
}

// Toasts: short notes in the corner, such as a failure or a deletion with Undo.
import { useTranslation } from 'react-i18next';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';

export function Toasts() {
  const { t: tCommon } = useTranslation('common');
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismissToast);
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((t) => (
        <div key={t.id} className="toast" role="status">
          <span>{t.text}</span>
          {t.action && (
            <button
              type="button"
              className="btn btn--small"
              onClick={() => {
                t.action?.();
                dismiss(t.id);
              }}
            >
              {t.actionLabel ?? tCommon('ok')}
            </button>
          )}
          <button type="button" className="icon-btn" aria-label={tCommon('toast.dismiss')} onClick={() => dismiss(t.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}

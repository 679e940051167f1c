// How a form or a dialog ends: what is wrong with it (if anything), Cancel, then its one primary
// action. `FormActions` sits inside a <form> (the primary button submits it); `DialogActions` is a
// Modal's footer (the primary button calls `onPrimary`).
import { useTranslation } from 'react-i18next';
import { FormError } from './FormError';

interface Ending {
  onCancel(): void;
  /** The primary button's words (default: Save). */
  primaryLabel?: string;
}

function CancelButton({ onCancel }: Pick<Ending, 'onCancel'>) {
  const { t } = useTranslation('common');
  return (
    <button type="button" className="btn btn--ghost" onClick={onCancel}>
      {t('cancel')}
    </button>
  );
}

export function FormActions({ onCancel, primaryLabel, error }: Ending & { error?: string | null }) {
  const { t } = useTranslation('common');
  return (
    <>
      {error && <FormError>{error}</FormError>}
      <div className="form-actions">
        <CancelButton onCancel={onCancel} />
        <button type="submit" className="btn btn--primary">
          {primaryLabel ?? t('save')}
        </button>
      </div>
    </>
  );
}

export function DialogActions({ onCancel, primaryLabel, onPrimary }: Ending & { onPrimary(): void }) {
  const { t } = useTranslation('common');
  return (
    <>
      <CancelButton onCancel={onCancel} />
      <button type="button" className="btn btn--primary" onClick={onPrimary}>
        {primaryLabel ?? t('save')}
      </button>
    </>
  );
}

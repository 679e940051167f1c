// An on/off switch: a button with role="switch" that says On or Off beside its thumb.
import { useTranslation } from 'react-i18next';

export function Switch({ label, checked, disabled, onChange }: { label: string; checked: boolean; disabled?: boolean; onChange(v: boolean): void }) {
  const { t } = useTranslation('common');
  return (
    <button type="button" role="switch" aria-checked={checked} aria-label={label} className={`switch${checked ? ' switch--on' : ''}`} disabled={disabled} onClick={() => onChange(!checked)}>
      <span className="switch__thumb" aria-hidden="true" />
      <span className="switch__text" aria-hidden="true">
        {checked ? t('switch.on') : t('switch.off')}
      </span>
    </button>
  );
}

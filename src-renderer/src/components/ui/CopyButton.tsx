// A button that copies text and says "Copied" for a moment (only when the clipboard took it).
import { useTranslation } from 'react-i18next';
import { useCopy } from '../../hooks/useCopy';
import { Icon } from './Icon';

export interface CopyButtonProps {
  /** The text to copy, or a function that reads it when pressed. */
  text: string | (() => string);
  /** The accessible name before and just after copying. */
  label: string;
  copiedLabel: string;
  className: string;
  iconSize: number;
  /** Shows "Copy" / "Copied" beside the icon (icon-only otherwise). */
  showText?: boolean;
  title?: string;
  disabled?: boolean;
}

export function CopyButton({ text, label, copiedLabel, className, iconSize, showText, title, disabled }: CopyButtonProps) {
  const { t } = useTranslation('common');
  const { copied, copy } = useCopy();
  return (
    <button type="button" className={className} onClick={() => void copy(typeof text === 'function' ? text() : text)} aria-label={copied ? copiedLabel : label} title={title} disabled={disabled}>
      <Icon name={copied ? 'check' : 'copy'} size={iconSize} />
      {showText && <span>{copied ? t('copy.done') : t('copy.action')}</span>}
    </button>
  );
}

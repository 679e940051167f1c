// Organise: ‹ 2/3 › under a message that has other versions (answers kept by Regenerate,
// questions kept by an edit). Choosing one shows its branch.
import { useTranslation } from 'react-i18next';
import { Icon } from '../ui/Icon';

export interface VersionSwitcherProps {
  messageId: string;
  /** Every version's id in the order they were made, this message's included (absent: no other versions). */
  versions?: string[];
  busy: boolean;
  onShowVersion(messageId: string): void;
}

export function VersionSwitcher({ messageId, versions, busy, onShowVersion }: VersionSwitcherProps) {
  const { t } = useTranslation('organise');
  if (!versions || versions.length < 2) return null;
  const at = versions.indexOf(messageId);
  const previous = at > 0 ? versions[at - 1] : undefined;
  const next = at >= 0 && at < versions.length - 1 ? versions[at + 1] : undefined;
  return (
    <div className="versions" role="group" aria-label={t('versions.group')}>
      <button type="button" className="icon-btn" aria-label={t('versions.previous')} title={t('versions.previous')} disabled={busy || !previous} onClick={() => previous && onShowVersion(previous)}>
        <Icon name="chevronLeft" size={15} />
      </button>
      <span className="versions__count" aria-label={t('versions.position', { index: at + 1, count: versions.length })} role="status">
        {`${at + 1}/${versions.length}`}
      </span>
      <button type="button" className="icon-btn" aria-label={t('versions.next')} title={t('versions.next')} disabled={busy || !next} onClick={() => next && onShowVersion(next)}>
        <Icon name="chevronRight" size={15} />
      </button>
    </div>
  );
}

// One file's chip: its name, kind, size and token estimate (docs/protocol.md §2.3.1), or why it is
// not attached and what to do; in the composer with a remove button, in history without.
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../../src-shared/format/units';
import { ATTACHMENT_LIMITS } from '../../../../src-shared/read/attachments';
import type { AttachmentKind, AttachmentProblem } from '../../../../src-shared/vocabulary';
import { Icon } from '../ui/Icon';

export interface ChipProps {
  name: string;
  bytes: number;
  kind?: AttachmentKind;
  tokens?: number;
  reading?: boolean;
  problem?: AttachmentProblem;
  /** Pdf files: the limit a too-big problem names. */
  isPdf?: boolean;
  onRemove?(): void;
}

export function AttachmentChip({ name, bytes, kind, tokens, reading, problem, isPdf, onRemove }: ChipProps) {
  const { t, i18n } = useTranslation('read');
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const limit = formatBytes(isPdf ? ATTACHMENT_LIMITS.maxPdfBytes : ATTACHMENT_LIMITS.maxTextFileBytes);
  return (
    <li className={`attachment-chip${problem ? ' attachment-chip--refused' : ''}`} data-state={problem ? 'refused' : reading ? 'reading' : 'ready'}>
      <Icon name={problem ? 'warning' : 'prompt'} size={14} />
      <span className="attachment-chip__text">
        <span className="attachment-chip__name">
          {problem ? t('problem.notSent', { name }) : name}
          {kind && !problem && <span className="attachment-chip__kind">{t(`kind.${kind}`)}</span>}
        </span>
        <span className="attachment-chip__detail">
          {problem
            ? t(`problem.${problem}`, { limit, max: ATTACHMENT_LIMITS.maxFiles })
            : reading
              ? t('chip.reading')
              : t('chip.summary', { size: formatBytes(bytes), tokens: number(tokens ?? 0) })}
        </span>
      </span>
      {onRemove && (
        <button type="button" className="icon-btn attachment-chip__remove" aria-label={t('chip.remove', { name })} title={t('chip.remove', { name })} onClick={onRemove}>
          <Icon name="close" size={13} />
        </button>
      )}
    </li>
  );
}

/** A sent message's files, from its record (no text kept there). */
export function SentAttachments({ attachments }: { attachments: readonly { name: string; kind: AttachmentKind; bytes: number; tokens: number }[] }) {
  const { t } = useTranslation('read');
  return (
    <ul className="attachment-chips attachment-chips--sent" aria-label={t('chips.sentLabel')}>
      {attachments.map((a, i) => (
        <AttachmentChip key={`${a.name}-${i}`} name={a.name} kind={a.kind} bytes={a.bytes} tokens={a.tokens} />
      ))}
    </ul>
  );
}

// Above the message box: the next message's file chips and, when files are attached, what they
// cost of the chat's context tier — or, before anything is sent, that the prompt is too large,
// with the size, the tier's room and what to do. And the Attach button with its file picker.
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../../src-shared/format/units';
import { Icon } from '../ui/Icon';
import type { PendingAttachment } from '../../stores/attachments';
import { AttachmentChip } from './AttachmentChip';
import type { AttachmentFit } from './useComposerAttachments';

export function AttachmentTray({ list, fit, fitId, dragging, onRemove }: { list: readonly PendingAttachment[]; fit?: AttachmentFit; fitId: string; dragging?: boolean; onRemove(id: string): void }) {
  const { t, i18n } = useTranslation(['read', 'chat']);
  if (list.length === 0 && !dragging) return null;
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const tier = (name: string) => t(`chat:tier.${name}`);
  const tooManyBytes = fit && fit.bytes > fit.bytesLimit;
  return (
    <div className="attachment-tray">
      {dragging && <p className="attachment-tray__drop">{t('attach.drop')}</p>}
      {list.length > 0 && (
      <ul className="attachment-chips" aria-label={t('chips.label')}>
        {list.map((a) => (
          <AttachmentChip
            key={a.id}
            name={a.name}
            bytes={a.bytes}
            kind={a.file?.kind}
            tokens={a.tokens}
            reading={a.state === 'reading'}
            problem={a.problem}
            isPdf={/\.pdf$/i.test(a.name)}
            onRemove={() => onRemove(a.id)}
          />
        ))}
      </ul>
      )}
      {fit && fit.fits && (
        <p className="attachment-tray__fit" id={fitId}>
          {t('fit.total', { tokens: number(fit.fileTokens), tier: tier(fit.tier), room: number(fit.room) })}
        </p>
      )}
      {fit && !fit.fits && (
        <p className="attachment-tray__fit attachment-tray__fit--over" id={fitId} role="alert">
          <Icon name="warning" size={15} />
          <span>
            {tooManyBytes
              ? t('fit.tooManyBytes', { size: formatBytes(fit.bytes), limit: formatBytes(fit.bytesLimit) })
              : t('fit.tooLarge', { tier: tier(fit.tier), tokens: number(fit.tokens), room: number(fit.room) })}{' '}
            {!tooManyBytes && (fit.larger ? t('fit.chooseLarger', { larger: tier(fit.larger) }) : t('fit.removeFile'))}
          </span>
        </p>
      )}
    </div>
  );
}

export function AttachButton({ disabled, onFiles }: { disabled?: boolean; onFiles(files: FileList | null): void }) {
  const { t } = useTranslation('read');
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  return (
    <>
      <input
        id={inputId}
        ref={input}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          onFiles(e.target.files);
          e.target.value = '';
        }}
      />
      <button type="button" className="btn btn--ghost attach-btn" onClick={() => input.current?.click()} disabled={disabled} aria-label={t('attach.label')} title={t('attach.title')}>
        <Icon name="plus" size={15} />
        <span>{t('attach.button')}</span>
      </button>
    </>
  );
}

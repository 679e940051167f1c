// Organise: the open chat to a file (Markdown, JSON with every version, a self-contained web page;
// main's save dialog picks where) or to the clipboard as Markdown.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatExportFormat } from '../../../../src-shared/vocabulary';
import { useCopy } from '../../hooks/useCopy';
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';
import { Modal } from '../ui/Modal';

/** Each file format with the keys of its button and hint (organise namespace). */
const CHOICES: { format: ChatExportFormat; label: string; hint: string }[] = [
  { format: 'markdown', label: 'export.markdown', hint: 'export.markdownHint' },
  { format: 'json', label: 'export.json', hint: 'export.jsonHint' },
  { format: 'html', label: 'export.html', hint: 'export.htmlHint' },
];

export function ExportChatButton() {
  const { t } = useTranslation('organise');
  const [open, setOpen] = useState(false);
  const exportChat = useConversations((s) => s.exportChat);
  const markdownOfActive = useConversations((s) => s.markdownOfActive);
  const { copied, copy } = useCopy();

  const copyMarkdown = async () => {
    const text = await markdownOfActive();
    if (text !== undefined) await copy(text);
  };

  return (
    <>
      <button type="button" className="btn btn--ghost" onClick={() => setOpen(true)} title={t('export.tooltip')}>
        <Icon name="download" size={15} />
        <span>{t('export.button')}</span>
      </button>
      {open && (
        <Modal title={t('export.title')} description={t('export.description')} onClose={() => setOpen(false)}>
          <ul className="export-choices">
            {CHOICES.map((c) => (
              <li key={c.format}>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setOpen(false);
                    void exportChat(c.format);
                  }}
                >
                  {t(c.label)}
                </button>
                <span className="hint">{t(c.hint)}</span>
              </li>
            ))}
            <li>
              <button type="button" className="btn" onClick={() => void copyMarkdown()}>
                <Icon name={copied ? 'check' : 'copy'} size={15} />
                <span>{t(copied ? 'export.copied' : 'export.copy')}</span>
              </button>
              <span className="hint">{t('export.copyHint')}</span>
            </li>
          </ul>
        </Modal>
      )}
    </>
  );
}

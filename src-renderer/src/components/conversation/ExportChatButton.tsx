// Organise: the open chat to a file (Markdown, JSON with every version, a self-contained web page;
// main's save dialog picks where) or to the clipboard as Markdown.
import { useState } from 'react';
import type { ChatExportFormat } from '../../../../src-shared/vocabulary';
import { useCopy } from '../../hooks/useCopy';
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';
import { Modal } from '../ui/Modal';

const CHOICES: { format: ChatExportFormat; label: string; hint: string }[] = [
  { format: 'markdown', label: 'Markdown…', hint: 'The messages shown, readable anywhere.' },
  { format: 'json', label: 'JSON…', hint: 'Every version of every message; import it again later.' },
  { format: 'html', label: 'Web page…', hint: 'One self-contained page to open in any browser.' },
];

export function ExportChatButton() {
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
      <button type="button" className="btn btn--ghost" onClick={() => setOpen(true)} title="Export or copy this chat">
        <Icon name="download" size={15} />
        <span>Export</span>
      </button>
      {open && (
        <Modal title="Export this chat" description="Save it to a file, or copy it to paste elsewhere." onClose={() => setOpen(false)}>
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
                  {`Save as ${c.label}`}
                </button>
                <span className="hint">{c.hint}</span>
              </li>
            ))}
            <li>
              <button type="button" className="btn" onClick={() => void copyMarkdown()}>
                <Icon name={copied ? 'check' : 'copy'} size={15} />
                <span>{copied ? 'Copied' : 'Copy conversation as Markdown'}</span>
              </button>
              <span className="hint">The messages shown, ready to paste.</span>
            </li>
          </ul>
        </Modal>
      )}
    </>
  );
}

// All conversations at once: export (Markdown, JSON), import a file, delete everything (confirmed).
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferFormat } from '../../../../src-shared/vocabulary';
import { useConversations } from '../../stores/conversations';
import { useHistory } from '../../stores/history';
import { Icon } from '../ui/Icon';
import { Panel } from '../ui/Panel';

export function HistoryPanel() {
  const { t } = useTranslation('settings');
  const { t: to } = useTranslation('organise');
  const file = useRef<HTMLInputElement>(null);
  const exportAs = useHistory((s) => s.exportAs);
  const importFile = useHistory((s) => s.importFile);
  const deleteAll = useHistory((s) => s.deleteAll);
  const importChat = useConversations((s) => s.importChat);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<string | undefined>();

  const exportTo = async (format: TransferFormat) => setStatus((await exportAs(format)).text);

  const importChosen = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setStatus((await importFile(f)).text);
  };

  const clear = async () => {
    const outcome = await deleteAll();
    if (outcome.ok) setConfirming(false);
    setStatus(outcome.text);
  };

  return (
    <Panel title={t('history.title')}>
      <div className="button-row">
        <button type="button" className="btn" onClick={() => void exportTo('markdown')}>
          <Icon name="download" size={14} /> {t('history.exportMarkdown')}
        </button>
        <button type="button" className="btn" onClick={() => void exportTo('json')}>
          <Icon name="download" size={14} /> {t('history.exportJson')}
        </button>
        <button type="button" className="btn" onClick={() => file.current?.click()}>
          <Icon name="upload" size={14} /> {t('history.import')}
        </button>
        <button type="button" className="btn" onClick={() => void importChat()} title={to('import.hint')}>
          <Icon name="upload" size={14} /> {to('import.chat')}
        </button>
        <input ref={file} type="file" accept=".json,.md,.markdown,application/json,text/markdown" className="visually-hidden" tabIndex={-1} aria-label={t('history.importFile')} onChange={(e) => void importChosen(e)} />
      </div>
      <div className="danger-zone">
        {confirming ? (
          <div className="confirm" role="group" aria-label={t('history.confirmGroup')}>
            <p>{t('history.confirmText')}</p>
            <button type="button" className="btn btn--ghost" onClick={() => setConfirming(false)}>
              {t('common:cancel')}
            </button>
            <button type="button" className="btn btn--danger" onClick={() => void clear()}>
              {t('history.deleteAll')}
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn--danger-text" onClick={() => setConfirming(true)}>
            <Icon name="trash" size={14} /> {t('history.clear')}
          </button>
        )}
      </div>
      <p className="hint" role="status">
        {status}
      </p>
    </Panel>
  );
}

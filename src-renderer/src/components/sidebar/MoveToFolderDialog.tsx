// "Move to folder…": the keyboard (and screen reader) way to do what dragging a chat does.
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../../src-shared/ipc/contract';
import { useWorkspace } from '../../stores/workspace';
import { Modal } from '../ui/Modal';

export function MoveToFolderDialog({ summary, onClose }: { summary: ConversationSummary; onClose(): void }) {
  const { t } = useTranslation('workspace');
  const folders = useWorkspace((s) => s.workspace.folders);
  const current = useWorkspace((s) => s.workspace.placements[summary.id] ?? null);
  const move = useWorkspace((s) => s.move);
  const choose = (folderId: string | null) => {
    onClose();
    void move(summary.id, folderId);
  };
  const targets = [{ id: null, name: t('move.topLevel') }, ...folders.map((f) => ({ id: f.id, name: f.name }))];
  return (
    <Modal title={t('move.title', { title: summary.title })} description={folders.length ? t('move.description') : t('move.noFolders')} onClose={onClose}>
      <ul className="move-targets">
        {targets.map((target) => (
          <li key={target.id ?? 'top'}>
            <button type="button" className="btn btn--ghost btn--block move-targets__item" aria-current={target.id === current ? 'true' : undefined} onClick={() => choose(target.id)}>
              <span>{target.name}</span>
              {target.id === current && <span className="move-targets__here">{t('move.here')}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

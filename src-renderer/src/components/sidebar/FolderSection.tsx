// One folder in the sidebar: its header opens or closes it (remembered), takes dropped chats, and
// renames (F2) or deletes it (its chats move back to the top level); below it, its chats.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Folder } from '../../../../src-shared/ipc/contract';
import { useInlineRename } from '../../hooks/useInlineEdit';
import { useWorkspace } from '../../stores/workspace';
import { Icon } from '../ui/Icon';
import { useConversationDrop } from './drag';
import { itemKeys } from './list-keys';
import { NameField } from './NameField';

export const MAX_FOLDER_NAME = 80;

export function FolderSection({ folder, count, children }: { folder: Folder; count: number; children: ReactNode }) {
  const { t } = useTranslation('workspace');
  const setCollapsed = useWorkspace((s) => s.setCollapsed);
  const renameFolder = useWorkspace((s) => s.renameFolder);
  const deleteFolder = useWorkspace((s) => s.deleteFolder);
  const { over, dropProps } = useConversationDrop(folder.id);
  const { editing, draft, setDraft, field, begin, finish } = useInlineRename(folder.name, (name) => renameFolder(folder.id, name));
  const listId = useId();
  const open = !folder.collapsed;

  return (
    <li className={`folder${over ? ' folder--drop' : ''}`} {...dropProps} data-folder-id={folder.id}>
      <div className="conv-item folder__header">
        {editing ? (
          <NameField field={field} label={t('folder.renameLabel')} value={draft} maxLength={MAX_FOLDER_NAME} onChange={setDraft} onDone={finish} />
        ) : (
          <button
            type="button"
            className="conv-item__main folder__toggle"
            aria-expanded={open}
            aria-controls={listId}
            onClick={() => void setCollapsed(folder.id, open)}
            onKeyDown={(e) => itemKeys(e, { rename: begin, remove: () => void deleteFolder(folder.id) })}
          >
            <span className="folder__name">
              <Icon name={open ? 'chevronDown' : 'chevronRight'} size={13} />
              <Icon name="folder" size={15} />
              <span className="conv-item__title">{folder.name}</span>
              <span className="folder__count">{t('folder.count', { count })}</span>
            </span>
          </button>
        )}
        {!editing && (
          <div className="conv-item__actions">
            <button type="button" className="icon-btn" aria-label={t('folder.rename', { name: folder.name })} title={t('folder.renameTitle')} onClick={begin}>
              <Icon name="edit" size={14} />
            </button>
            <button type="button" className="icon-btn" aria-label={t('folder.delete', { name: folder.name })} title={t('folder.deleteTitle')} onClick={() => void deleteFolder(folder.id)}>
              <Icon name="trash" size={14} />
            </button>
          </div>
        )}
      </div>
      <ul id={listId} className="folder__chats" hidden={!open}>
        {open && (count === 0 ? <li className="sidebar__caption folder__empty">{t('folder.empty')}</li> : children)}
      </ul>
    </li>
  );
}

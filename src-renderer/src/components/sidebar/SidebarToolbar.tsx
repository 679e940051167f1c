// Above the list: the order of chats (recent activity or name, remembered) and "New folder".
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConversationSortSchema } from '../../../../src-shared/vocabulary';
import { useWorkspace } from '../../stores/workspace';
import { Icon } from '../ui/Icon';
import { MAX_FOLDER_NAME } from './FolderSection';
import { NameField } from './NameField';

export function SidebarToolbar() {
  const { t } = useTranslation('workspace');
  const sort = useWorkspace((s) => s.workspace.sort);
  const setSort = useWorkspace((s) => s.setSort);
  const createFolder = useWorkspace((s) => s.createFolder);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const field = useRef<HTMLInputElement>(null);

  const done = (save: boolean) => {
    setNaming(false);
    setName('');
    if (save && name.trim()) void createFolder(name.trim());
  };

  return (
    <div className="sidebar__toolbar">
      <div className="sidebar__tools">
        <label className="sidebar__sort">
          <span className="visually-hidden">{t('sort.label')}</span>
          <select value={sort} onChange={(e) => void setSort(ConversationSortSchema.parse(e.target.value))} title={t('sort.label')}>
            {ConversationSortSchema.options.map((option) => (
              <option key={option} value={option}>
                {t(`sort.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={() => {
            setNaming(true);
            requestAnimationFrame(() => field.current?.focus());
          }}
        >
          <Icon name="folder" size={14} />
          <span>{t('folder.new')}</span>
        </button>
      </div>
      {naming && (
        <NameField
          field={field}
          className="sidebar__new-folder"
          label={t('folder.nameLabel')}
          placeholder={t('folder.namePlaceholder')}
          value={name}
          maxLength={MAX_FOLDER_NAME}
          onChange={setName}
          onDone={done}
        />
      )}
    </div>
  );
}

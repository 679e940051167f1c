// The sidebar's chats as organised: the sort and "New folder" bar, pinned chats (a drop target
// that pins a chat; shown while a chat is dragged even when nothing is pinned), each folder, then
// the chats at the top level (also the drop target that takes a chat out of its folder).
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../../src-shared/ipc/contract';
import { groupConversations } from '../../lib/sidebar-groups';
import { useConversations } from '../../stores/conversations';
import { useWorkspace } from '../../stores/workspace';
import { ConversationItem } from './ConversationItem';
import { useConversationDragging, useConversationDrop, usePinDrop } from './drag';
import { FolderSection } from './FolderSection';
import { SidebarToolbar } from './SidebarToolbar';
import '../../styles/workspace.css';

export function OrganisedList() {
  const { t } = useTranslation('workspace');
  const summaries = useConversations((s) => s.summaries);
  const activeId = useConversations((s) => s.activeId);
  const workspace = useWorkspace((s) => s.workspace);
  const groups = useMemo(() => groupConversations(summaries, workspace), [summaries, workspace]);
  // Ctrl+1…9 open the chats by recent activity (stores/conversations), whatever the sidebar's order.
  const position = useMemo(() => new Map(summaries.map((s, i) => [s.id, i])), [summaries]);
  const pinned = useMemo(() => new Set(workspace.pinned), [workspace.pinned]);
  const top = useConversationDrop(null);
  const pinDrop = usePinDrop();
  const dragging = useConversationDragging();
  const pinnedId = useId();
  const chatsId = useId();
  const grouped = groups.pinned.length > 0 || groups.folders.length > 0;

  const item = (c: ConversationSummary) => (
    <ConversationItem key={c.id} summary={c} active={c.id === activeId} position={position.get(c.id) ?? 0} pinned={pinned.has(c.id)} />
  );

  // With nothing pinned, the Pinned target shown during a drag lies over the toolbar: appearing
  // in the list it would push every folder down under the pointer, mid-drag.
  const pinnedSection = (overlay: boolean) => (
    <section
      className={`sidebar__group sidebar__group--pinned${overlay ? ' sidebar__group--overlay' : ''}${pinDrop.over ? ' sidebar__group--drop' : ''}`}
      aria-labelledby={pinnedId}
      {...pinDrop.dropProps}
    >
      <h2 id={pinnedId} className="sidebar__group-title">
        {t('group.pinned')}
      </h2>
      {overlay ? <p className="sidebar__caption">{t('group.pinnedDrop')}</p> : <ul>{groups.pinned.map(item)}</ul>}
    </section>
  );

  return (
    <>
      <div className="sidebar__top">
        <SidebarToolbar />
        {groups.pinned.length === 0 && dragging && pinnedSection(true)}
      </div>
      {groups.pinned.length > 0 && pinnedSection(false)}
      {groups.folders.length > 0 && (
        <ul className="sidebar__folders">
          {groups.folders.map((g) => (
            <FolderSection key={g.folder.id} folder={g.folder} count={g.conversations.length}>
              {g.conversations.map(item)}
            </FolderSection>
          ))}
        </ul>
      )}
      <section className={`sidebar__group sidebar__group--top${top.over ? ' sidebar__group--drop' : ''}`} aria-labelledby={grouped ? chatsId : undefined} {...top.dropProps}>
        {grouped && (
          <h2 id={chatsId} className="sidebar__group-title">
            {t('group.chats')}
          </h2>
        )}
        {grouped && groups.topLevel.length === 0 ? <p className="sidebar__caption">{t('group.chatsEmpty')}</p> : <ul>{groups.topLevel.map(item)}</ul>}
      </section>
    </>
  );
}

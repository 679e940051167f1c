// The relay servers: pick the active one, see each one's node keys, add or edit one in place.
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';
import { Panel } from '../ui/Panel';
import { KnownNodes } from './KnownNodes';
import { ServerForm } from './ServerForm';
import { ServerRow } from './ServerRow';
import { ServerParamDefaults } from '../steer/ServerParamDefaults';

export function ServerListPanel() {
  const { t } = useTranslation('servers');
  const list = useServers((s) => s.list);
  const activate = useServers((s) => s.activate);
  const [editing, setEditing] = useState<string | 'new' | undefined>();
  if (!list) return <p className="hint">{t('list.loading')}</p>;
  return (
    <Panel
      title={t('list.title')}
      actions={
        editing !== 'new' && (
          <button type="button" className="btn btn--small" onClick={() => setEditing('new')}>
            <Icon name="plus" size={14} /> {t('form.addButton')}
          </button>
        )
      }
    >
      <div role="radiogroup" aria-label={t('list.active')} className="server-rows">
        {list.servers.map((s) =>
          editing === s.id ? (
            <ServerForm key={s.id} server={s} onDone={() => setEditing(undefined)} />
          ) : (
            <div key={s.id} className="server-rows__item">
              <ServerRow server={s} active={s.id === list.activeId} onActivate={() => void activate(s.id)} onEdit={() => setEditing(s.id)} />
              <KnownNodes server={s} />
              <ServerParamDefaults server={s} />
            </div>
          ),
        )}
      </div>
      {editing === 'new' && <ServerForm onDone={() => setEditing(undefined)} />}
    </Panel>
  );
}

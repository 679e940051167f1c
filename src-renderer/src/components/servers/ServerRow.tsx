// One relay server: the radio that makes it active, its health, and Check / Edit / Remove.
import { useTranslation } from 'react-i18next';
import type { ServerProfile } from '../../../../src-shared/ipc/contract';
import { healthSummary, healthTone } from '../../lib/status';
import { useServers } from '../../stores/servers';
import { StatusDot } from '../ui/StatusDot';

export function ServerRow({ server, active, onActivate, onEdit }: { server: ServerProfile; active: boolean; onActivate(): void; onEdit(): void }) {
  const { t } = useTranslation('servers');
  const probe = useServers((s) => s.probe);
  const remove = useServers((s) => s.remove);
  const probing = useServers((s) => Boolean(s.busy[`probe:${server.id}`]));
  const h = server.health;
  return (
    <div className={`server-row${active ? ' server-row--active' : ''}`}>
      <label className="server-row__pick">
        <input type="radio" name="active-server" checked={active} onChange={onActivate} aria-describedby={`health-${server.id}`} />
        <span className="server-row__name">
          {server.name}
          {server.hasRelayToken && <span className="tag">{t('row.token')}</span>}
        </span>
        <span className="server-row__url mono">{server.url}</span>
      </label>
      <span className="server-row__health" id={`health-${server.id}`}>
        <StatusDot tone={healthTone(h)} />
        {healthSummary(h)}
        {h.error && <span className="server-row__error"> · {h.error}</span>}
      </span>
      <span className="server-row__buttons">
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void probe(server.id)} disabled={probing} aria-label={t('row.checkLabel', { server: server.name })}>
          {probing ? t('row.checking') : t('row.check')}
        </button>
        {server.kind !== 'embedded' && (
          <>
            <button type="button" className="btn btn--ghost btn--small" onClick={onEdit} aria-label={t('form.edit', { server: server.name })}>
              {t('row.edit')}
            </button>
            <button type="button" className="btn btn--ghost btn--small btn--danger-text" onClick={() => void remove(server.id)} aria-label={t('row.removeLabel', { server: server.name })}>
              {t('row.remove')}
            </button>
          </>
        )}
      </span>
    </div>
  );
}

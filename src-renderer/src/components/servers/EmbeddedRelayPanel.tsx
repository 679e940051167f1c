// The built-in relay: on/off, its state, address and attached nodes.
import { useTranslation } from 'react-i18next';
import { RELAY_STATE_LABEL, RELAY_TONE } from '../../lib/status';
import { useServers } from '../../stores/servers';
import { Fact, Facts } from '../ui/Facts';
import { Panel } from '../ui/Panel';
import { StatusDot } from '../ui/StatusDot';
import { Switch } from '../ui/Switch';

export function EmbeddedRelayPanel() {
  const { t } = useTranslation('servers');
  const relay = useServers((s) => s.relay);
  const setEnabled = useServers((s) => s.setRelayEnabled);
  const busy = useServers((s) => Boolean(s.busy.relay));
  if (!relay) return null;
  return (
    <Panel title={t('relay.title')} actions={<Switch label={t('relay.title')} checked={relay.enabled} disabled={busy} onChange={(v) => void setEnabled(v)} />}>
      <Facts>
        <Fact term={t('relay.status')}>
          <StatusDot tone={RELAY_TONE[relay.state] ?? 'degraded'} />
          {t(RELAY_STATE_LABEL[relay.state]) ?? relay.state}
          {relay.restarts > 0 && ` ${t('relay.restarted', { count: relay.restarts })}`}
        </Fact>
        <Fact term={t('relay.address')} className="mono">
          {relay.url ?? '—'}
        </Fact>
        <Fact term={t('relay.nodes')}>{relay.nodeCount}</Fact>
        {relay.error && (
          <Fact term={t('relay.problem')} className="text-danger">
            {relay.error}
          </Fact>
        )}
      </Facts>
    </Panel>
  );
}

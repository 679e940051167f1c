// The built-in relay: on/off, its state, address and attached nodes.
import { RELAY_STATE_LABEL, RELAY_TONE } from '../../lib/status';
import { useServers } from '../../stores/servers';
import { Fact, Facts } from '../ui/Facts';
import { Panel } from '../ui/Panel';
import { StatusDot } from '../ui/StatusDot';
import { Switch } from '../ui/Switch';

export function EmbeddedRelayPanel() {
  const relay = useServers((s) => s.relay);
  const setEnabled = useServers((s) => s.setRelayEnabled);
  const busy = useServers((s) => Boolean(s.busy.relay));
  if (!relay) return null;
  return (
    <Panel title="Built-in relay" actions={<Switch label="Built-in relay" checked={relay.enabled} disabled={busy} onChange={(v) => void setEnabled(v)} />}>
      <Facts>
        <Fact term="Status">
          <StatusDot tone={RELAY_TONE[relay.state] ?? 'degraded'} />
          {RELAY_STATE_LABEL[relay.state] ?? relay.state}
          {relay.restarts > 0 && ` (restarted ${relay.restarts}×)`}
        </Fact>
        <Fact term="Address" className="mono">
          {relay.url ?? '—'}
        </Fact>
        <Fact term="Nodes attached">{relay.nodeCount}</Fact>
        {relay.error && (
          <Fact term="Problem" className="text-danger">
            {relay.error}
          </Fact>
        )}
      </Facts>
    </Panel>
  );
}

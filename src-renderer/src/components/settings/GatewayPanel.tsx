// The local OpenAI-compatible gateway: on/off, its base URL and API key (with a copy button).
import { useSettings } from '../../stores/settings';
import { CopyButton } from '../ui/CopyButton';
import { Fact, Facts } from '../ui/Facts';
import { Panel } from '../ui/Panel';
import { Switch } from '../ui/Switch';

export function GatewayPanel() {
  const gateway = useSettings((s) => s.gateway);
  const busy = useSettings((s) => s.gatewayBusy);
  const setGateway = useSettings((s) => s.setGateway);
  return (
    <Panel title="Local API gateway" actions={<Switch label="Local API gateway" checked={Boolean(gateway?.enabled)} disabled={busy || !gateway} onChange={(v) => void setGateway(v)} />}>
      <p className="hint">
        Lets OpenAI-compatible tools on this computer chat through token.place, end-to-end encrypted. It listens on
        127.0.0.1 only.
      </p>
      {gateway?.enabled && (
        <Facts>
          <Fact term="Base URL" className="mono">
            {gateway.url ?? '—'}
          </Fact>
          <Fact term="API key" className="token-row">
            <code className="mono token">{gateway.token ?? '—'}</code>
            <CopyButton text={gateway.token ?? ''} label="Copy gateway token" copiedLabel="Gateway token copied" className="btn btn--small" iconSize={14} showText disabled={!gateway.token} />
          </Fact>
        </Facts>
      )}
      {gateway?.error && <p className="form-error">{gateway.error}</p>}
    </Panel>
  );
}

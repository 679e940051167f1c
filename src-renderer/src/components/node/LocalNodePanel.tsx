// This computer's node in the Servers dialog: start / stop, its facts, and its provider form.
import { useState } from 'react';
import { PROVIDER_NAME } from '../../lib/labels';
import { NODE_STATE_LABEL, NODE_TONE, nodeRunning } from '../../lib/status';
import { groupedFingerprint, shortFingerprint } from '../../lib/text';
import { useNode } from '../../stores/node';
import { Fact, Facts } from '../ui/Facts';
import { Panel } from '../ui/Panel';
import { StatusDot } from '../ui/StatusDot';
import { NodeProviderForm } from './NodeProviderForm';

export function LocalNodePanel() {
  const node = useNode((s) => s.status);
  const start = useNode((s) => s.start);
  const stop = useNode((s) => s.stop);
  const busy = useNode((s) => s.busy);
  const [showForm, setShowForm] = useState(false);
  if (!node) return null;
  const running = nodeRunning(node.state);
  return (
    <Panel
      title="This computer’s node"
      actions={
        node.configured && (
          <button type="button" className={`btn btn--small${running ? ' btn--danger' : ' btn--primary'}`} onClick={() => void (running ? stop() : start())} disabled={busy}>
            {running ? 'Stop node' : 'Start node'}
          </button>
        )
      }
    >
      <Facts>
        <Fact term="Status">
          <StatusDot tone={NODE_TONE[node.state] ?? 'unknown'} />
          {NODE_STATE_LABEL[node.state] ?? node.state}
        </Fact>
        {node.config && (
          <Fact term="Provider">
            {PROVIDER_NAME[node.config.provider]}
            {node.config.baseUrl && <span className="mono"> · {node.config.baseUrl}</span>}
            {` · ${node.config.model}`}
            {node.config.hasApiKey && ' · key saved'}
          </Fact>
        )}
        {node.relayUrl && (
          <Fact term="Serving on" className="mono">
            {node.relayUrl}
          </Fact>
        )}
        {node.fingerprint && (
          <Fact term="Key fingerprint" className="mono" title={groupedFingerprint(node.fingerprint)}>
            {shortFingerprint(node.fingerprint)}…
          </Fact>
        )}
        <Fact term="Requests">
          {node.inFlight} in progress · {node.served} answered
        </Fact>
        {node.error && (
          <Fact term="Problem" className="text-danger">
            {node.error}
          </Fact>
        )}
      </Facts>
      {showForm || !node.configured ? (
        <NodeProviderForm onSaved={() => setShowForm(false)} />
      ) : (
        <button type="button" className="btn btn--ghost btn--small" onClick={() => setShowForm(true)}>
          Change provider…
        </button>
      )}
    </Panel>
  );
}

// Server switcher: relay servers (health, latency, nodes; add, edit, remove), the built-in relay,
// and this computer's compute node.
import { useState, type FormEvent } from 'react';
import type { ServerInput, ServerProfile } from '../../../../src-shared/ipc/contract';
import type { LocalNodeState, SupervisedState } from '../../../../src-shared/vocabulary';
import { groupedFingerprint, relativeTime, shortFingerprint } from '../../lib/text';
import { useNode } from '../../stores/node';
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';
import { Modal } from '../ui/Modal';
import { NodeProviderForm } from '../node/NodeProviderForm';
import { healthSummary, healthTone } from '../sidebar/Sidebar';

export function ServersDialog({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Servers" description="Choose the relay your messages travel through, and run this computer’s own relay and node." onClose={onClose} wide>
      <ServerList />
      <EmbeddedRelay />
      <LocalNode />
    </Modal>
  );
}

function ServerList() {
  const list = useServers((s) => s.list);
  const activate = useServers((s) => s.activate);
  const [editing, setEditing] = useState<string | 'new' | undefined>();
  if (!list) return <p className="hint">Loading servers…</p>;
  return (
    <section className="panel" aria-labelledby="servers-heading">
      <div className="panel__head">
        <h3 id="servers-heading">Relay servers</h3>
        {editing !== 'new' && (
          <button type="button" className="btn btn--small" onClick={() => setEditing('new')}>
            <Icon name="plus" size={14} /> Add server
          </button>
        )}
      </div>
      <div role="radiogroup" aria-label="Active server" className="server-rows">
        {list.servers.map((s) =>
          editing === s.id ? (
            <ServerForm key={s.id} server={s} onDone={() => setEditing(undefined)} />
          ) : (
            <div key={s.id} className="server-rows__item">
              <ServerRow server={s} active={s.id === list.activeId} onActivate={() => void activate(s.id)} onEdit={() => setEditing(s.id)} />
              <KnownNodes server={s} />
            </div>
          ),
        )}
      </div>
      {editing === 'new' && <ServerForm onDone={() => setEditing(undefined)} />}
    </section>
  );
}

function ServerRow({ server, active, onActivate, onEdit }: { server: ServerProfile; active: boolean; onActivate(): void; onEdit(): void }) {
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
          {server.hasRelayToken && <span className="tag">token</span>}
        </span>
        <span className="server-row__url mono">{server.url}</span>
      </label>
      <span className="server-row__health" id={`health-${server.id}`}>
        <span className={`dot dot--${healthTone(h)}`} aria-hidden="true" />
        {healthSummary(h)}
        {h.error && <span className="server-row__error"> · {h.error}</span>}
      </span>
      <span className="server-row__buttons">
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void probe(server.id)} disabled={probing} aria-label={`Check ${server.name} now`}>
          {probing ? 'Checking…' : 'Check'}
        </button>
        {server.kind !== 'embedded' && (
          <>
            <button type="button" className="btn btn--ghost btn--small" onClick={onEdit} aria-label={`Edit ${server.name}`}>
              Edit
            </button>
            <button type="button" className="btn btn--ghost btn--small btn--danger-text" onClick={() => void remove(server.id)} aria-label={`Remove ${server.name}`}>
              Remove
            </button>
          </>
        )}
      </span>
    </div>
  );
}

/** Node keys that answered on this server, with pin / unpin and what a pin does when the key changes. */
function KnownNodes({ server }: { server: ServerProfile }) {
  const pinNode = useServers((s) => s.pinNode);
  const unpinNode = useServers((s) => s.unpinNode);
  const busy = useServers((s) => Boolean(s.busy[`pin:${server.id}`]));
  const nodes = server.knownNodes;
  if (nodes.length === 0 && !server.pin) return null;
  const pin = server.pin;
  const pinnedMissing = pin && !nodes.some((n) => n.fingerprint === pin.fingerprint);
  return (
    <div className="known-nodes-box">
      <p className="known-nodes__title">Node keys that answered here</p>
      <ul className="known-nodes" aria-label={`Node keys seen on ${server.name}`}>
        {pinnedMissing && (
          <li className="known-nodes__row">
            <span className="mono" title={groupedFingerprint(pin.fingerprint)}>{shortFingerprint(pin.fingerprint)}</span>
            <span className="tag">pinned</span>
            <button type="button" className="btn btn--ghost btn--small" aria-pressed disabled={busy} aria-label={`Unpin node ${shortFingerprint(pin.fingerprint)}`} onClick={() => void unpinNode(server.id, pin.fingerprint)}>
              Unpin
            </button>
          </li>
        )}
        {nodes.map((n) => {
          const pinned = pin?.fingerprint === n.fingerprint;
          const short = shortFingerprint(n.fingerprint);
          return (
            <li key={n.fingerprint} className="known-nodes__row">
              <span className="mono" title={`Node key fingerprint (SHA-256): ${groupedFingerprint(n.fingerprint)}`}>
                {short}
              </span>
              <span className="known-nodes__meta">
                {n.answers} answer{n.answers === 1 ? '' : 's'} · last {relativeTime(n.lastSeenAt)}
              </span>
              {pinned && <span className="tag">pinned</span>}
              <button
                type="button"
                className="btn btn--ghost btn--small"
                aria-pressed={pinned}
                disabled={busy}
                aria-label={`${pinned ? 'Unpin' : 'Pin'} node ${short}`}
                onClick={() => void (pinned ? unpinNode(server.id, n.fingerprint) : pinNode(server.id, n.fingerprint, pin?.mode ?? 'warn'))}
              >
                {pinned ? 'Unpin' : 'Pin'}
              </button>
            </li>
          );
        })}
      </ul>
      {pin && (
        <label className="known-nodes__mode">
          <span>When another node key answers on {server.name}</span>
          <select value={pin.mode} disabled={busy} onChange={(e) => void pinNode(server.id, pin.fingerprint, e.target.value === 'require' ? 'require' : 'warn')}>
            <option value="warn">Warn me on the answer</option>
            <option value="require">Refuse to send to it</option>
          </select>
        </label>
      )}
    </div>
  );
}

function ServerForm({ server, onDone }: { server?: ServerProfile; onDone(): void }) {
  const add = useServers((s) => s.add);
  const edit = useServers((s) => s.edit);
  const [name, setName] = useState(server?.name ?? '');
  const [url, setUrl] = useState(server?.url ?? '');
  const [token, setToken] = useState('');
  const [model, setModel] = useState(server?.defaultModel ?? '');
  const [error, setError] = useState<string | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the server a name.');
    if (!/^https?:\/\/\S+$/i.test(url.trim())) return setError('The address must start with http:// or https://.');
    const input: ServerInput = { name: name.trim(), url: url.trim() };
    if (token) input.relayToken = token;
    if (model.trim()) input.defaultModel = model.trim();
    const ok = server ? await edit(server.id, input) : Boolean(await add(input));
    if (ok) onDone();
  };

  return (
    <form className="server-form" onSubmit={(e) => void submit(e)} aria-label={server ? `Edit ${server.name}` : 'Add a server'}>
      <div className="grid-2">
        <label className="field">
          <span className="field__label">Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="token.place" maxLength={80} />
        </label>
        <label className="field">
          <span className="field__label">Address</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://token.place" inputMode="url" />
        </label>
        <label className="field">
          <span className="field__label">Relay token <span className="hint">(optional)</span></span>
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder={server?.hasRelayToken ? 'Saved (type to replace)' : 'None'} autoComplete="off" />
        </label>
        <label className="field">
          <span className="field__label">Default model <span className="hint">(optional)</span></span>
          <input value={model} onChange={(e) => setModel(e.target.value)} />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn--ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary">
          {server ? 'Save' : 'Add server'}
        </button>
      </div>
    </form>
  );
}

const RELAY_STATE: Record<SupervisedState, string> = {
  stopped: 'Off',
  starting: 'Starting…',
  running: 'Running',
  crashed: 'Stopped unexpectedly',
  restarting: 'Restarting…',
};

function EmbeddedRelay() {
  const relay = useServers((s) => s.relay);
  const setEnabled = useServers((s) => s.setRelayEnabled);
  const busy = useServers((s) => Boolean(s.busy.relay));
  if (!relay) return null;
  return (
    <section className="panel" aria-labelledby="relay-heading">
      <div className="panel__head">
        <h3 id="relay-heading">Built-in relay</h3>
        <Switch label="Built-in relay" checked={relay.enabled} disabled={busy} onChange={(v) => void setEnabled(v)} />
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`dot dot--${relay.state === 'running' ? 'ok' : relay.state === 'stopped' ? 'unknown' : 'degraded'}`} aria-hidden="true" />
          {RELAY_STATE[relay.state] ?? relay.state}
          {relay.restarts > 0 && ` (restarted ${relay.restarts}×)`}
        </dd>
        <dt>Address</dt>
        <dd className="mono">{relay.url ?? '—'}</dd>
        <dt>Nodes attached</dt>
        <dd>{relay.nodeCount}</dd>
        {relay.error && (
          <>
            <dt>Problem</dt>
            <dd className="text-danger">{relay.error}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

const NODE_STATE: Record<LocalNodeState, string> = {
  unconfigured: 'No model provider yet',
  stopped: 'Stopped',
  starting: 'Starting…',
  serving: 'Serving',
  error: 'Error',
  crashed: 'Stopped unexpectedly',
  restarting: 'Restarting…',
};

function LocalNode() {
  const node = useNode((s) => s.status);
  const start = useNode((s) => s.start);
  const stop = useNode((s) => s.stop);
  const busy = useNode((s) => s.busy);
  const [showForm, setShowForm] = useState(false);
  if (!node) return null;
  const running = node.state === 'serving' || node.state === 'starting' || node.state === 'restarting';
  return (
    <section className="panel" aria-labelledby="node-heading">
      <div className="panel__head">
        <h3 id="node-heading">This computer’s node</h3>
        {node.configured && (
          <button type="button" className={`btn btn--small${running ? ' btn--danger' : ' btn--primary'}`} onClick={() => void (running ? stop() : start())} disabled={busy}>
            {running ? 'Stop node' : 'Start node'}
          </button>
        )}
      </div>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`dot dot--${node.state === 'serving' ? 'ok' : node.state === 'error' || node.state === 'crashed' ? 'unreachable' : 'unknown'}`} aria-hidden="true" />
          {NODE_STATE[node.state] ?? node.state}
        </dd>
        {node.config && (
          <>
            <dt>Provider</dt>
            <dd>
              {node.config.provider === 'test' ? 'Test provider' : node.config.provider === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible'}
              {node.config.baseUrl && <span className="mono"> · {node.config.baseUrl}</span>}
              {` · ${node.config.model}`}
              {node.config.hasApiKey && ' · key saved'}
            </dd>
          </>
        )}
        {node.relayUrl && (
          <>
            <dt>Serving on</dt>
            <dd className="mono">{node.relayUrl}</dd>
          </>
        )}
        {node.fingerprint && (
          <>
            <dt>Key fingerprint</dt>
            <dd className="mono" title={groupedFingerprint(node.fingerprint)}>
              {shortFingerprint(node.fingerprint)}…
            </dd>
          </>
        )}
        <dt>Requests</dt>
        <dd>
          {node.inFlight} in progress · {node.served} answered
        </dd>
        {node.error && (
          <>
            <dt>Problem</dt>
            <dd className="text-danger">{node.error}</dd>
          </>
        )}
      </dl>
      {showForm || !node.configured ? (
        <NodeProviderForm onSaved={() => setShowForm(false)} />
      ) : (
        <button type="button" className="btn btn--ghost btn--small" onClick={() => setShowForm(true)}>
          Change provider…
        </button>
      )}
    </section>
  );
}

export function Switch({ label, checked, disabled, onChange }: { label: string; checked: boolean; disabled?: boolean; onChange(v: boolean): void }) {
  return (
    <button type="button" role="switch" aria-checked={checked} aria-label={label} className={`switch${checked ? ' switch--on' : ''}`} disabled={disabled} onClick={() => onChange(!checked)}>
      <span className="switch__thumb" aria-hidden="true" />
      <span className="switch__text" aria-hidden="true">
        {checked ? 'On' : 'Off'}
      </span>
    </button>
  );
}

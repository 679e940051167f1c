// Settings: appearance, the local OpenAI-compatible gateway, export/import and clearing history.
import { useRef, useState, type ChangeEvent } from 'react';
import { useCopy } from '../../hooks/useCopy';
import { useApp } from '../../stores/app';
import { useHistory, type ExportFormat } from '../../stores/history';
import { useSettings } from '../../stores/settings';
import { Icon } from '../ui/Icon';
import { Modal } from '../ui/Modal';
import { Switch } from '../servers/ServersDialog';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Settings" onClose={onClose} wide>
      <Appearance />
      <Gateway />
      <History />
      <About />
    </Modal>
  );
}

function Appearance() {
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  return (
    <section className="panel" aria-labelledby="appearance-heading">
      <h3 id="appearance-heading">Appearance</h3>
      <fieldset className="field segmented" aria-label="Theme">
        <legend className="field__label">Theme</legend>
        {(['light', 'dark', 'system'] as const).map((t) => (
          <label key={t} className={`segmented__option${settings.theme === t ? ' segmented__option--on' : ''}`}>
            <input type="radio" name="theme" value={t} checked={settings.theme === t} onChange={() => void update({ theme: t })} />
            <span>{t === 'system' ? 'Match system' : t === 'light' ? 'Light' : 'Dark'}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field__label">
          Text size: <output>{settings.fontSize}px</output>
        </span>
        <input type="range" min={11} max={24} step={1} value={settings.fontSize} onChange={(e) => void update({ fontSize: Number(e.target.value) })} aria-valuetext={`${settings.fontSize} pixels`} />
      </label>
    </section>
  );
}

function Gateway() {
  const gateway = useSettings((s) => s.gateway);
  const busy = useSettings((s) => s.gatewayBusy);
  const setGateway = useSettings((s) => s.setGateway);
  const { copied, copy } = useCopy();
  return (
    <section className="panel" aria-labelledby="gateway-heading">
      <div className="panel__head">
        <h3 id="gateway-heading">Local API gateway</h3>
        <Switch label="Local API gateway" checked={Boolean(gateway?.enabled)} disabled={busy || !gateway} onChange={(v) => void setGateway(v)} />
      </div>
      <p className="hint">
        Lets OpenAI-compatible tools on this computer chat through token.place, end-to-end encrypted. It listens on
        127.0.0.1 only.
      </p>
      {gateway?.enabled && (
        <dl className="facts">
          <dt>Base URL</dt>
          <dd className="mono">{gateway.url ?? '—'}</dd>
          <dt>API key</dt>
          <dd className="token-row">
            <code className="mono token">{gateway.token ?? '—'}</code>
            <button type="button" className="btn btn--small" onClick={() => gateway.token !== undefined && void copy(gateway.token)} disabled={!gateway.token} aria-label={copied ? 'Gateway token copied' : 'Copy gateway token'}>
              <Icon name={copied ? 'check' : 'copy'} size={14} /> {copied ? 'Copied' : 'Copy'}
            </button>
          </dd>
        </dl>
      )}
      {gateway?.error && <p className="form-error">{gateway.error}</p>}
    </section>
  );
}

function History() {
  const file = useRef<HTMLInputElement>(null);
  const exportAs = useHistory((s) => s.exportAs);
  const importFile = useHistory((s) => s.importFile);
  const deleteAll = useHistory((s) => s.deleteAll);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<string | undefined>();

  const exportTo = async (format: ExportFormat) => setStatus((await exportAs(format)).text);

  const importChosen = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    setStatus((await importFile(f)).text);
  };

  const clear = async () => {
    const outcome = await deleteAll();
    if (outcome.ok) setConfirming(false);
    setStatus(outcome.text);
  };

  return (
    <section className="panel" aria-labelledby="history-heading">
      <h3 id="history-heading">Conversations</h3>
      <div className="button-row">
        <button type="button" className="btn" onClick={() => void exportTo('markdown')}>
          <Icon name="download" size={14} /> Export Markdown
        </button>
        <button type="button" className="btn" onClick={() => void exportTo('json')}>
          <Icon name="download" size={14} /> Export JSON
        </button>
        <button type="button" className="btn" onClick={() => file.current?.click()}>
          <Icon name="upload" size={14} /> Import…
        </button>
        <input ref={file} type="file" accept=".json,.md,.markdown,application/json,text/markdown" className="visually-hidden" tabIndex={-1} aria-label="Import conversations from a file" onChange={(e) => void importChosen(e)} />
      </div>
      <div className="danger-zone">
        {confirming ? (
          <div className="confirm" role="group" aria-label="Confirm clearing the history">
            <p>Delete every conversation on this computer? This cannot be undone.</p>
            <button type="button" className="btn btn--ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="btn btn--danger" onClick={() => void clear()}>
              Delete all conversations
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn--danger-text" onClick={() => setConfirming(true)}>
            <Icon name="trash" size={14} /> Clear history…
          </button>
        )}
      </div>
      <p className="hint" role="status">
        {status}
      </p>
    </section>
  );
}

function About() {
  const info = useApp((s) => s.info);
  if (!info) return null;
  const where = info.secretStorage === 'os' ? 'the system keychain' : 'a passphrase you chose';
  return (
    <section className="panel" aria-labelledby="about-heading">
      <h3 id="about-heading">About</h3>
      <p className="hint">
        token.place Desktop {info.version} on {info.platform}. Conversations are stored encrypted on this computer; the key
        is protected by {where}.
      </p>
    </section>
  );
}

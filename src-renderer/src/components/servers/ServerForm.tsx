// Adds a relay server, or edits one in place: name, address, relay token, default model.
import { useState, type FormEvent } from 'react';
import type { ServerInput, ServerProfile } from '../../../../src-shared/ipc/contract';
import { useServers } from '../../stores/servers';
import { FormError } from '../ui/FormError';

export function ServerForm({ server, onDone }: { server?: ServerProfile; onDone(): void }) {
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
      {error && <FormError>{error}</FormError>}
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

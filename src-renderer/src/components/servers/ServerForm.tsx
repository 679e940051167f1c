// Adds a relay server, or edits one in place: name, address, relay token, default model.
import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import type { ServerInput, ServerProfile } from '../../../../src-shared/ipc/contract';
import { useServers } from '../../stores/servers';
import { FormActions } from '../ui/FormActions';

export function ServerForm({ server, onDone }: { server?: ServerProfile; onDone(): void }) {
  const { t } = useTranslation('servers');
  const add = useServers((s) => s.add);
  const edit = useServers((s) => s.edit);
  const [name, setName] = useState(server?.name ?? '');
  const [url, setUrl] = useState(server?.url ?? '');
  const [token, setToken] = useState('');
  const [model, setModel] = useState(server?.defaultModel ?? '');
  const [error, setError] = useState<string | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError(t('form.noName'));
    if (!/^https?:\/\/\S+$/i.test(url.trim())) return setError(t('form.badUrl'));
    const input: ServerInput = { name: name.trim(), url: url.trim() };
    if (token) input.relayToken = token;
    if (model.trim()) input.defaultModel = model.trim();
    const ok = server ? await edit(server.id, input) : Boolean(await add(input));
    if (ok) onDone();
  };

  return (
    <form className="server-form" onSubmit={(e) => void submit(e)} aria-label={server ? t('form.edit', { server: server.name }) : t('form.add')}>
      <div className="grid-2">
        <label className="field">
          <span className="field__label">{t('form.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="token.place" maxLength={80} />
        </label>
        <label className="field">
          <span className="field__label">{t('form.address')}</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://token.place" inputMode="url" />
        </label>
        <label className="field">
          <span className="field__label">
            {t('form.token')} <span className="hint">{t('form.optional')}</span>
          </span>
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder={server?.hasRelayToken ? t('form.tokenSaved') : t('form.tokenNone')} autoComplete="off" />
        </label>
        <label className="field">
          <span className="field__label">
            {t('form.model')} <span className="hint">{t('form.optional')}</span>
          </span>
          <input value={model} onChange={(e) => setModel(e.target.value)} />
        </label>
      </div>
      <FormActions onCancel={onDone} error={error} {...(!server && { primaryLabel: t('form.addButton') })} />
    </form>
  );
}

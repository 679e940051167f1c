// Settings of this computer's compute node: which model provider answers (a local server such as
// Ollama or LM Studio, a hosted API with a key, or the built-in test provider), then start.
import { useState, type FormEvent } from 'react';
import type { LocalNodeConfig } from '../../../../src-shared/ipc/contract';
import { PROVIDER_CHOICE } from '../../lib/labels';
import { useNode, type DetectedProvider } from '../../stores/node';
import { FormError } from '../ui/FormError';
import { DetectedProviders } from './DetectedProviders';

type Kind = LocalNodeConfig['provider'];

export function NodeProviderForm({ onSaved, submitLabel = 'Save and start' }: { onSaved?(): void; submitLabel?: string }) {
  const node = useNode((s) => s.status);
  const setUp = useNode((s) => s.setUp);
  const busy = useNode((s) => s.busy);
  const [kind, setKind] = useState<Kind>(node?.config?.provider ?? 'openai-compatible');
  const [baseUrl, setBaseUrl] = useState(node?.config?.baseUrl ?? '');
  const [model, setModel] = useState(node?.config?.model ?? '');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | undefined>();

  const useDetected = (d: DetectedProvider, m?: string) => {
    setKind('openai-compatible');
    setBaseUrl(d.baseUrl);
    setModel(m ?? d.models[0] ?? '');
    setError(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosenModel = kind === 'test' && !model.trim() ? 'test-model' : model.trim();
    if (!chosenModel) return setError('Enter the model name the provider should use.');
    if (kind === 'openai-compatible' && !/^https?:\/\//i.test(baseUrl.trim()))
      return setError('Enter the server address, starting with http:// or https://.');
    if (kind === 'anthropic' && !apiKey && !node?.config?.hasApiKey) return setError('Enter your Anthropic API key.');
    setError(undefined);
    const config: LocalNodeConfig = { provider: kind, model: chosenModel };
    if (kind === 'openai-compatible') config.baseUrl = baseUrl.trim();
    if (apiKey) config.apiKey = apiKey;
    if (await setUp(config)) {
      setApiKey('');
      onSaved?.();
    }
  };

  return (
    <form className="node-form" onSubmit={(e) => void submit(e)} aria-label="Model provider of this computer’s node">
      <DetectedProviders onUse={useDetected} />
      <fieldset className="field">
        <legend className="field__label">Provider</legend>
        {(Object.keys(PROVIDER_CHOICE) as Kind[]).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name="provider-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span>{PROVIDER_CHOICE[k]}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'openai-compatible' && (
        <label className="field">
          <span className="field__label">Server address</span>
          <input type="url" value={baseUrl} placeholder="http://127.0.0.1:11434/v1" onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
      )}
      {kind !== 'test' && (
        <label className="field">
          <span className="field__label">API key {kind === 'openai-compatible' && <span className="hint">(only if the server needs one)</span>}</span>
          <input
            type="password"
            autoComplete="off"
            value={apiKey}
            placeholder={node?.config?.hasApiKey ? 'Saved (type to replace)' : kind === 'anthropic' ? 'sk-ant-…' : 'Optional'}
            onChange={(e) => setApiKey(e.target.value)}
          />
          <span className="hint">Stored encrypted on this computer. It is never shown again.</span>
        </label>
      )}
      <label className="field">
        <span className="field__label">Model</span>
        <input value={model} placeholder={kind === 'test' ? 'test-model' : kind === 'anthropic' ? 'claude-sonnet-4-5' : 'llama3.2'} onChange={(e) => setModel(e.target.value)} />
      </label>
      {error && <FormError>{error}</FormError>}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Working…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

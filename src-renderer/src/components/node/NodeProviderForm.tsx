// Settings of this computer's compute node: which model provider answers (a local server such as
// Ollama or LM Studio, a hosted API with a key, or the built-in test provider), then start/stop.
import { useEffect, useState, type FormEvent } from 'react';
import type { LocalNodeConfig } from '../../../../src-shared/ipc/contract';
import { useNode, type DetectedProvider } from '../../stores/node';

type Kind = LocalNodeConfig['provider'];

const KIND_LABEL: Record<Kind, string> = {
  'openai-compatible': 'OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM, OpenAI…)',
  anthropic: 'Anthropic API',
  test: 'Built-in test provider (for trying the app; canned answers)',
};

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
      <DetectedList onUse={useDetected} />
      <fieldset className="field">
        <legend className="field__label">Provider</legend>
        {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name="provider-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span>{KIND_LABEL[k]}</span>
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Working…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

function DetectedList({ onUse }: { onUse(d: DetectedProvider, model?: string): void }) {
  const detected = useNode((s) => s.detected);
  const detecting = useNode((s) => s.detecting);
  const detect = useNode((s) => s.detect);
  useEffect(() => {
    if (!detected && !detecting) void detect();
  }, [detected, detecting, detect]);
  return (
    <div className="detected" aria-live="polite">
      <div className="detected__head">
        <span className="field__label">Found on this computer</span>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void detect()} disabled={detecting}>
          {detecting ? 'Looking…' : 'Look again'}
        </button>
      </div>
      {detected && detected.length === 0 && (
        <p className="hint">
          No local model server is running. Start Ollama (port 11434) or LM Studio’s server (port 1234), then look again.
        </p>
      )}
      {detected && detected.length > 0 && (
        <ul className="detected__list">
          {detected.map((d) => (
            <li key={d.baseUrl}>
              <span>
                <strong>{d.name}</strong> <span className="mono">{d.baseUrl}</span>
                {d.models.length > 0 && <span className="hint"> · {d.models.length} model{d.models.length === 1 ? '' : 's'}</span>}
              </span>
              <button type="button" className="btn btn--small" onClick={() => onUse(d)}>
                Use {d.name}
                {d.models[0] ? ` (${d.models[0]})` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

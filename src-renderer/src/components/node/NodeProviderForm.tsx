// Settings of this computer's compute node: which model provider answers (a local server such as
// Ollama or LM Studio, a hosted API with a key, the built-in engine with a .gguf file, or the
// built-in test provider), then start.
import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import type { LocalNodeConfig } from '../../../../src-shared/ipc/contract';
import { PROVIDER_CHOICE } from '../../lib/labels';
import { useNode, type DetectedProvider } from '../../stores/node';
import { FormError } from '../ui/FormError';
import { DetectedProviders } from './DetectedProviders';

type Kind = LocalNodeConfig['provider'];

/** `…/qwen2.5-0.5b-instruct-q4_k_m.gguf` → `qwen2.5-0.5b-instruct-q4_k_m`, the name clients ask for. */
function modelNameOfFile(path: string): string {
  return (path.split(/[\\/]/).pop() ?? '').replace(/\.gguf$/i, '');
}

/** An optional whole number typed into a field: undefined when empty, NaN when not a whole number. */
function optionalWholeNumber(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function NodeProviderForm({ onSaved, submitLabel }: { onSaved?(): void; submitLabel?: string }) {
  const { t } = useTranslation('node');
  const node = useNode((s) => s.status);
  const setUp = useNode((s) => s.setUp);
  const busy = useNode((s) => s.busy);
  const [kind, setKind] = useState<Kind>(node?.config?.provider ?? 'openai-compatible');
  const [baseUrl, setBaseUrl] = useState(node?.config?.baseUrl ?? '');
  const [model, setModel] = useState(node?.config?.model ?? '');
  const [apiKey, setApiKey] = useState('');
  const [modelFile, setModelFile] = useState(node?.config?.modelFile ?? '');
  const [contextSize, setContextSize] = useState(node?.config?.contextSize?.toString() ?? '');
  const [threads, setThreads] = useState(node?.config?.threads?.toString() ?? '');
  const [error, setError] = useState<string | undefined>();

  const useDetected = (d: DetectedProvider, m?: string) => {
    setKind('openai-compatible');
    setBaseUrl(d.baseUrl);
    setModel(m ?? d.models[0] ?? '');
    setError(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = modelFile.trim();
    if (kind === 'local' && !/\.gguf$/i.test(file)) return setError(t('form.needFile'));
    const chosenModel = model.trim() || (kind === 'test' ? 'test-model' : kind === 'local' ? modelNameOfFile(file) : '');
    if (!chosenModel) return setError(t('form.needModel'));
    const context = optionalWholeNumber(contextSize);
    if (kind === 'local' && context !== undefined && !(context >= 256 && context <= 1_048_576))
      return setError(t('form.badContext'));
    const threadCount = optionalWholeNumber(threads);
    if (kind === 'local' && threadCount !== undefined && !(threadCount >= 1 && threadCount <= 512))
      return setError(t('form.badThreads'));
    if (kind === 'openai-compatible' && !/^https?:\/\//i.test(baseUrl.trim()))
      return setError(t('form.badUrl'));
    if (kind === 'anthropic' && !apiKey && !node?.config?.hasApiKey) return setError(t('form.needKey'));
    setError(undefined);
    const config: LocalNodeConfig = { provider: kind, model: chosenModel };
    if (kind === 'openai-compatible') config.baseUrl = baseUrl.trim();
    if (kind === 'local') {
      config.modelFile = file;
      if (context !== undefined) config.contextSize = context;
      if (threadCount !== undefined) config.threads = threadCount;
    }
    if (apiKey) config.apiKey = apiKey;
    if (await setUp(config)) {
      setApiKey('');
      onSaved?.();
    }
  };

  return (
    <form className="node-form" onSubmit={(e) => void submit(e)} aria-label={t('form.label')}>
      <DetectedProviders onUse={useDetected} />
      <fieldset className="field">
        <legend className="field__label">{t('panel.provider')}</legend>
        {(Object.keys(PROVIDER_CHOICE) as Kind[]).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name="provider-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span>{t(PROVIDER_CHOICE[k])}</span>
          </label>
        ))}
      </fieldset>
      {kind === 'openai-compatible' && (
        <label className="field">
          <span className="field__label">{t('form.address')}</span>
          <input type="url" value={baseUrl} placeholder="http://127.0.0.1:11434/v1" onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
      )}
      {kind === 'local' && (
        <>
          <label className="field">
            <span className="field__label">{t('form.file')}</span>
            <input value={modelFile} placeholder={t('form.filePlaceholder')} onChange={(e) => setModelFile(e.target.value)} />
            <span className="hint">{t('form.fileHint')}</span>
          </label>
          <label className="field">
            <span className="field__label">
              {t('form.context')} <span className="hint">{t('form.contextHint')}</span>
            </span>
            <input inputMode="numeric" value={contextSize} placeholder={t('form.auto')} onChange={(e) => setContextSize(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">
              {t('form.threads')} <span className="hint">{t('form.threadsHint')}</span>
            </span>
            <input inputMode="numeric" value={threads} placeholder={t('form.auto')} onChange={(e) => setThreads(e.target.value)} />
          </label>
        </>
      )}
      {kind !== 'test' && kind !== 'local' && (
        <label className="field">
          <span className="field__label">
            {t('form.apiKey')} {kind === 'openai-compatible' && <span className="hint">{t('form.apiKeyHint')}</span>}
          </span>
          <input
            type="password"
            autoComplete="off"
            value={apiKey}
            placeholder={node?.config?.hasApiKey ? t('form.keySaved') : kind === 'anthropic' ? 'sk-ant-…' : t('form.optional')}
            onChange={(e) => setApiKey(e.target.value)}
          />
          <span className="hint">{t('form.keyStored')}</span>
        </label>
      )}
      <label className="field">
        <span className="field__label">{t('form.model')}</span>
        <input
          value={model}
          placeholder={kind === 'test' ? 'test-model' : kind === 'anthropic' ? 'claude-sonnet-4-5' : kind === 'local' ? modelNameOfFile(modelFile) || t('form.fileName') : 'llama3.2'}
          onChange={(e) => setModel(e.target.value)}
        />
      </label>
      {error && <FormError>{error}</FormError>}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? t('form.working') : (submitLabel ?? t('form.submit'))}
        </button>
      </div>
    </form>
  );
}
